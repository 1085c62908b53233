// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultDynamicSecretsTest {
  private static VaultEmulator vault;
  private static StartedEmulator started;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vault = new VaultEmulator();
    vault.addRole(
        "",
        "kubernetes",
        new VaultRole(
            "app", List.of("app"), List.of("demo"), "vault", List.of("pki/", "database/"), null));
    vault.enablePki("", "pki", "web", Duration.ofHours(2));
    vault.enableDatabase("", "database", "readonly", Duration.ofMinutes(10));
    vault.enableDatabase("", "database", "flash", Duration.ofMillis(300));
    started = vault.start(EmulatorOptions.create(dir.resolve("ca.pem")));
  }

  @AfterAll
  static void stop() {
    vault.close();
  }

  private static VaultTestClient client() throws Exception {
    VaultTestClient client = VaultTestClient.plain(started.endpoint("http"));
    client.login(
        "kubernetes",
        "app",
        vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(5)));
    return client;
  }

  private static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void pkiIssue_returnsARealCertificateChainingToTheIssuingCa_withoutALease() throws Exception {
    int before = vault.certificatesIssued();

    VaultTestClient.Answer answer =
        client()
            .put(
                "pki/issue/web",
                Map.of("common_name", "app.demo.svc", "alt_names", "app,app.demo", "ttl", "30m"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("lease_id").asText()).isEmpty();
    var data = answer.data();
    assertThat(data.fieldNames())
        .toIterable()
        .containsExactly(
            "certificate",
            "issuing_ca",
            "ca_chain",
            "private_key",
            "private_key_type",
            "serial_number",
            "expiration");
    X509Certificate leaf = certificate(data.path("certificate").asText());
    X509Certificate ca = certificate(data.path("issuing_ca").asText());
    leaf.verify(ca.getPublicKey());
    leaf.checkValidity();
    assertThat(ca).isEqualTo(vault.pkiCaCertificate("", "pki"));
    assertThat(certificate(data.path("ca_chain").get(0).asText())).isEqualTo(ca);
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=app.demo.svc");
    assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
        .containsExactly("app.demo.svc", "app", "app.demo");
    assertThat(data.path("private_key").asText()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(data.path("private_key_type").asText()).isEqualTo("ec");
    assertThat(data.path("serial_number").asText()).matches("([0-9a-f]{2}:)+[0-9a-f]{2}");
    long expiration = data.path("expiration").asLong();
    assertThat(expiration).isEqualTo(leaf.getNotAfter().toInstant().getEpochSecond());
    assertThat(expiration - Instant.now().getEpochSecond()).isBetween(1700L, 1800L);
    assertThat(vault.certificatesIssued()).isEqualTo(before + 1);
  }

  @Test
  void pkiIssue_capsTheTtlAtTheRolesMaximum_andRequiresACommonName() throws Exception {
    VaultTestClient client = client();

    VaultTestClient.Answer capped =
        client.write("pki/issue/web", Map.of("common_name", "x.example", "ttl", "72h"));
    VaultTestClient.Answer noName = client.write("pki/issue/web", Map.of("ttl", "1h"));
    VaultTestClient.Answer unknownRole =
        client.write("pki/issue/nope", Map.of("common_name", "x.example"));

    assertThat(capped.data().path("expiration").asLong() - Instant.now().getEpochSecond())
        .isBetween(7100L, 7200L);
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.json().path("errors").get(0).asText()).contains("common_name");
    assertThat(unknownRole.status()).isEqualTo(400);
  }

  @Test
  void databaseCreds_areNewOnEveryRead_eachUnderItsOwnRenewableLease() throws Exception {
    VaultTestClient client = client();
    int before = vault.databaseCredentialsIssued();

    VaultTestClient.Answer first = client.read("database/creds/readonly");
    VaultTestClient.Answer second = client.read("database/creds/readonly");

    for (VaultTestClient.Answer answer : List.of(first, second)) {
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().path("lease_id").asText()).startsWith("database/creds/readonly/");
      assertThat(answer.json().path("lease_duration").asLong()).isEqualTo(600);
      assertThat(answer.json().path("renewable").asBoolean()).isTrue();
      assertThat(vault.activeLeaseIds()).contains(answer.json().path("lease_id").asText());
    }
    assertThat(first.data().path("username").asText())
        .isNotEqualTo(second.data().path("username").asText());
    assertThat(first.data().path("password").asText())
        .isNotEqualTo(second.data().path("password").asText());
    assertThat(first.json().path("lease_id").asText())
        .isNotEqualTo(second.json().path("lease_id").asText());
    assertThat(vault.databaseCredentialsIssued()).isEqualTo(before + 2);
    assertThat(client.read("database/creds/unknown").status()).isEqualTo(404);
  }

  @Test
  void renew_extendsALease_inBodyAndPathForm_andCounts() throws Exception {
    VaultTestClient client = client();
    String lease = client.read("database/creds/readonly").json().path("lease_id").asText();
    int before = vault.leasesRenewed();

    VaultTestClient.Answer byBody =
        client.put("sys/leases/renew", Map.of("lease_id", lease, "increment", 120));
    VaultTestClient.Answer byPath = client.write("sys/leases/renew/" + lease, Map.of());

    assertThat(byBody.status()).isEqualTo(200);
    assertThat(byBody.json().path("lease_id").asText()).isEqualTo(lease);
    assertThat(byBody.json().path("lease_duration").asLong()).isEqualTo(120);
    assertThat(byBody.json().path("renewable").asBoolean()).isTrue();
    assertThat(byPath.json().path("lease_duration").asLong()).isEqualTo(600);
    assertThat(vault.leasesRenewed()).isEqualTo(before + 2);
  }

  @Test
  void revoke_endsALease_whichThenCannotBeRenewed() throws Exception {
    VaultTestClient client = client();
    String lease = client.read("database/creds/readonly").json().path("lease_id").asText();
    int before = vault.leasesRevoked();

    VaultTestClient.Answer revoked = client.put("sys/leases/revoke", Map.of("lease_id", lease));
    VaultTestClient.Answer renewed = client.put("sys/leases/renew", Map.of("lease_id", lease));

    assertThat(revoked.status()).isEqualTo(204);
    assertThat(vault.leasesRevoked()).isEqualTo(before + 1);
    assertThat(vault.activeLeaseIds()).doesNotContain(lease);
    assertThat(renewed.status()).isEqualTo(400);
    assertThat(renewed.body()).isEqualTo("{\"errors\":[\"lease not found\"]}");
    assertThat(client.put("sys/leases/revoke", Map.of("lease_id", lease)).status()).isEqualTo(204);
    assertThat(vault.leasesRevoked()).isEqualTo(before + 1);
  }

  @Test
  void expiredLease_cannotBeRenewed_andIsNoLongerActive() throws Exception {
    VaultTestClient client = client();
    String lease = client.read("database/creds/flash").json().path("lease_id").asText();

    // The lease lives 300 ms (role flash): wait for the emulator to see it expire, not for a fixed
    // time.
    await().atMost(Duration.ofSeconds(30)).until(() -> !vault.activeLeaseIds().contains(lease));
    VaultTestClient.Answer renewed = client.put("sys/leases/renew", Map.of("lease_id", lease));
    assertThat(renewed.status()).isEqualTo(400);
    assertThat(renewed.json().path("errors").get(0).asText()).isEqualTo("lease expired");
  }

  @Test
  void pkiCaCertificate_ofAMountThatIsNotPki_isAnError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> vault.pkiCaCertificate("", "database"))
        .isInstanceOf(IllegalStateException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> vault.pkiCaCertificate("", "nothing"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void leaseEndpoints_needAToken() throws Exception {
    VaultTestClient anonymous = VaultTestClient.plain(started.endpoint("http"));

    assertThat(
            anonymous
                .put("sys/leases/renew", Map.of("lease_id", "database/creds/readonly/x"))
                .status())
        .isEqualTo(403);
    assertThat(
            anonymous
                .put("sys/leases/revoke", Map.of("lease_id", "database/creds/readonly/x"))
                .status())
        .isEqualTo(403);
  }
}
