// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultAuthTest {
  private static VaultEmulator vault;
  private static StartedEmulator started;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vault = new VaultEmulator();
    vault.addRole(
        "",
        "kubernetes",
        new VaultRole(
            "app",
            List.of("app"),
            List.of("demo"),
            "vault",
            List.of("secret/"),
            Duration.ofMinutes(5)));
    vault.addRole(
        "",
        "kubernetes",
        new VaultRole("anyone", List.of("*"), List.of("team-*"), null, List.of("secret/"), null));
    vault.addRole(
        "",
        "jwt",
        new VaultRole("app", List.of("app"), List.of("demo"), "vault", List.of("secret/"), null));
    started = vault.start(EmulatorOptions.create(dir.resolve("ca.pem")));
  }

  @AfterAll
  static void stop() {
    vault.close();
  }

  private static VaultTestClient client() {
    return VaultTestClient.plain(started.endpoint("http"));
  }

  private static VaultTestClient.Answer login(String mount, String role, String jwt)
      throws Exception {
    return client().write("auth/" + mount + "/login", Map.of("role", role, "jwt", jwt));
  }

  @Test
  void login_boundServiceAccount_returnsACompleteServiceTokenBody() throws Exception {
    int before = vault.loginCount();
    String jwt = vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(10));

    VaultTestClient.Answer answer = login("kubernetes", "app", jwt);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().fieldNames())
        .toIterable()
        .containsExactly(
            "request_id",
            "lease_id",
            "renewable",
            "lease_duration",
            "data",
            "wrap_info",
            "warnings",
            "auth");
    var auth = answer.json().path("auth");
    assertThat(auth.path("client_token").asText()).startsWith("hvs.");
    assertThat(auth.path("accessor").asText()).isNotEmpty();
    assertThat(auth.path("policies").toString()).isEqualTo("[\"default\",\"app\"]");
    assertThat(auth.path("token_policies").toString()).isEqualTo("[\"default\",\"app\"]");
    assertThat(auth.path("metadata").path("service_account_name").asText()).isEqualTo("app");
    assertThat(auth.path("metadata").path("service_account_namespace").asText()).isEqualTo("demo");
    assertThat(auth.path("lease_duration").asLong()).isEqualTo(300);
    assertThat(auth.path("renewable").asBoolean()).isTrue();
    assertThat(auth.path("entity_id").asText()).isNotEmpty();
    assertThat(auth.path("token_type").asText()).isEqualTo("service");
    assertThat(auth.path("orphan").asBoolean()).isTrue();
    assertThat(vault.loginCount()).isEqualTo(before + 1);
  }

  @Test
  void login_jwtMount_usesTheSameProtocol() throws Exception {
    String jwt = vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(10));

    assertThat(login("jwt", "app", jwt).status()).isEqualTo(200);
  }

  @Test
  void login_globsInBoundLists_andNoAudienceOnTheRole_acceptAnyMatchingToken() throws Exception {
    String jwt =
        vault.mintServiceAccountToken(
            "team-blue", "whoever", "something-else", Duration.ofMinutes(10));

    assertThat(login("kubernetes", "anyone", jwt).status()).isEqualTo(200);
  }

  @Test
  void login_eachDenialReason_is403WithVaultsMessage_andNeverEchoesTheJwt() throws Exception {
    int before = vault.loginCount();
    String good = vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(10));
    String otherSa =
        vault.mintServiceAccountToken("demo", "intruder", "vault", Duration.ofMinutes(10));
    String otherNs =
        vault.mintServiceAccountToken("elsewhere", "app", "vault", Duration.ofMinutes(10));
    String otherAud =
        vault.mintServiceAccountToken("demo", "app", "not-vault", Duration.ofMinutes(10));
    String expired = vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofSeconds(-1));
    String foreign =
        new VaultEmulator().mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(10));
    String[] parts = good.split("\\.");
    String tampered =
        parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA";

    Map<String, String> denials =
        Map.of(
            "invalid role name \"nope\"", good,
            "service account name not authorized", otherSa,
            "namespace not authorized", otherNs,
            "invalid audience (aud) claim", otherAud,
            "token is expired", expired,
            "failed to verify signature", foreign,
            "malformed jwt", "not-a-jwt");
    for (Map.Entry<String, String> denial : denials.entrySet()) {
      String role = denial.getKey().startsWith("invalid role") ? "nope" : "app";
      VaultTestClient.Answer answer = login("kubernetes", role, denial.getValue());

      assertThat(answer.status()).as(denial.getKey()).isEqualTo(403);
      assertThat(answer.json().path("errors").get(0).asText())
          .as(denial.getKey())
          .contains(denial.getKey());
      assertThat(answer.body()).doesNotContain(denial.getValue());
    }
    VaultTestClient.Answer tamperedAnswer = login("kubernetes", "app", tampered);
    assertThat(tamperedAnswer.status()).isEqualTo(403);
    assertThat(tamperedAnswer.body()).doesNotContain(parts[1]);
    assertThat(vault.loginCount()).isEqualTo(before);
  }

  @Test
  void login_unknownAuthMount_isPermissionDenied() throws Exception {
    String jwt = vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(10));

    VaultTestClient.Answer answer = login("nowhere", "app", jwt);

    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.body()).isEqualTo("{\"errors\":[\"permission denied\"]}");
  }

  @Test
  void login_missingFields_is400() throws Exception {
    assertThat(client().write("auth/kubernetes/login", Map.of("role", "app")).status())
        .isEqualTo(400);
    assertThat(client().write("auth/kubernetes/login", Map.of("jwt", "x")).status()).isEqualTo(400);
  }

  @Test
  void tokenSelfEndpoints_lookUpAndRenewTheCallersToken_andHealthNeedsNoToken() throws Exception {
    VaultTestClient client = client();
    client.login(
        "kubernetes",
        "app",
        vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(10)));

    VaultTestClient.Answer lookup = client.read("auth/token/lookup-self");
    VaultTestClient.Answer renewed =
        client.write("auth/token/renew-self", Map.of("increment", "20m"));
    VaultTestClient.Answer health = client().read("sys/health");

    assertThat(lookup.status()).isEqualTo(200);
    assertThat(lookup.data().path("ttl").asLong()).isBetween(290L, 300L);
    assertThat(lookup.data().path("policies").toString()).isEqualTo("[\"default\",\"app\"]");
    assertThat(renewed.json().path("auth").path("lease_duration").asLong()).isEqualTo(1200);
    assertThat(client.read("auth/token/lookup-self").data().path("ttl").asLong())
        .isBetween(1190L, 1200L);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("sealed").asBoolean()).isFalse();
    assertThat(client().read("auth/token/lookup-self").status()).isEqualTo(403);
  }

  @Test
  void mintedToken_hasTheKubernetesClaims() throws Exception {
    String jwt = vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(10));
    var claims =
        VaultTestClient.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));

    assertThat(claims.path("iss").asText())
        .isEqualTo("https://kubernetes.default.svc.cluster.local");
    assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:demo:app");
    assertThat(claims.path("aud").toString()).isEqualTo("[\"vault\"]");
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(600);
    assertThat(claims.path("kubernetes.io").path("namespace").asText()).isEqualTo("demo");
    assertThat(claims.path("kubernetes.io").path("serviceaccount").path("name").asText())
        .isEqualTo("app");
  }
}
