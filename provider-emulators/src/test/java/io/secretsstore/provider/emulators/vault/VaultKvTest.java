// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.Emulators;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultKvTest {
  private static final VaultRole APP =
      new VaultRole(
          "app",
          List.of("app"),
          List.of("demo"),
          "vault",
          List.of("secret/data/app/", "kv/app/", "nomount/", "sys/mounts"),
          null);

  private static VaultEmulator vault;
  private static StartedEmulator started;
  private static Path caFile;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vault = new VaultEmulator();
    // Seeded before start ...
    vault.putKv2("", "secret", "app/db", Map.of("username", "app", "password", "first"));
    vault.addRole("", "kubernetes", APP);
    vault.addRole("team", "kubernetes", APP);
    caFile = dir.resolve("ca.pem");
    started = vault.start(EmulatorOptions.create(caFile));
    // ... and after.
    vault.putKv2("", "secret", "app/db", Map.of("username", "app", "password", "second"));
    vault.putKv2("", "secret", "other/db", Map.of("password", "not-yours"));
    vault.putKv1(
        "", "kv", "app/config", Map.of("log_level", "info", "data", Map.of("nested", true)));
    vault.putKv2("team", "secret", "app/db", Map.of("password", "team-secret"));
  }

  @AfterAll
  static void stop() {
    vault.close();
  }

  private static VaultTestClient loggedIn(String namespace) throws Exception {
    VaultTestClient client = VaultTestClient.plain(started.endpoint("http")).namespace(namespace);
    client.login(
        "kubernetes",
        "app",
        vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(5)));
    return client;
  }

  @Test
  void kv2_latestVersion_hasVaultsExactEnvelope() throws Exception {
    VaultTestClient.Answer answer = loggedIn(null).read("secret/data/app/db");

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
    assertThat(answer.json().path("lease_id").asText()).isEmpty();
    assertThat(answer.json().path("lease_duration").asInt()).isZero();
    assertThat(answer.json().path("renewable").asBoolean()).isFalse();
    assertThat(answer.json().path("wrap_info").isNull()).isTrue();
    assertThat(answer.data().path("data").toString()).contains("\"password\":\"second\"");
    var metadata = answer.data().path("metadata");
    assertThat(metadata.fieldNames())
        .toIterable()
        .containsExactly(
            "created_time", "custom_metadata", "deletion_time", "destroyed", "version");
    assertThat(metadata.path("version").asInt()).isEqualTo(2);
    assertThat(metadata.path("custom_metadata").isNull()).isTrue();
    assertThat(metadata.path("destroyed").asBoolean()).isFalse();
  }

  @Test
  void kv2_versionQuery_readsAnOlderVersion_andAMissingOneIs404() throws Exception {
    VaultTestClient client = loggedIn(null);

    VaultTestClient.Answer first = client.read("secret/data/app/db?version=1");
    VaultTestClient.Answer missing = client.read("secret/data/app/db?version=9");

    assertThat(first.data().path("data").path("password").asText()).isEqualTo("first");
    assertThat(first.data().path("metadata").path("version").asInt()).isEqualTo(1);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"errors\":[]}");
  }

  @Test
  void kv2_write_createsTheNextVersion() throws Exception {
    VaultTestClient client = loggedIn(null);

    VaultTestClient.Answer written =
        client.put("secret/data/app/written", Map.of("data", Map.of("k", "v1")));
    client.write("secret/data/app/written", Map.of("data", Map.of("k", "v2")));

    assertThat(written.status()).isEqualTo(200);
    assertThat(written.data().path("version").asInt()).isEqualTo(1);
    assertThat(client.read("secret/data/app/written").data().path("data").path("k").asText())
        .isEqualTo("v2");
  }

  @Test
  void kv1_returnsTheMapItselfWithVaultsRefreshHint() throws Exception {
    VaultTestClient.Answer answer = loggedIn(null).read("kv/app/config");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.data().path("log_level").asText()).isEqualTo("info");
    assertThat(answer.data().path("data").path("nested").asBoolean()).isTrue();
    assertThat(answer.json().path("lease_duration").asLong()).isEqualTo(2_764_800L);
  }

  @Test
  void namespace_isSelectedByHeader_andTokensStayInTheirNamespace() throws Exception {
    VaultTestClient team = loggedIn("team");
    VaultTestClient root = loggedIn(null);

    assertThat(team.read("secret/data/app/db").data().path("data").path("password").asText())
        .isEqualTo("team-secret");
    assertThat(team.namespace(null).read("secret/data/app/db").status()).isEqualTo(403);
    assertThat(root.namespace("team").read("secret/data/app/db").status()).isEqualTo(403);
    assertThat(
            root.namespace(null)
                .read("secret/data/app/db")
                .data()
                .path("data")
                .path("password")
                .asText())
        .isEqualTo("second");
  }

  @Test
  void withoutATokenOrWithAnUnknownOne_permissionDenied() throws Exception {
    VaultTestClient anonymous = VaultTestClient.plain(started.endpoint("http"));

    VaultTestClient.Answer none = anonymous.read("secret/data/app/db");
    VaultTestClient.Answer bogus = anonymous.token("hvs.bogus").read("secret/data/app/db");

    assertThat(none.status()).isEqualTo(403);
    assertThat(none.body()).isEqualTo("{\"errors\":[\"permission denied\"]}");
    assertThat(bogus.status()).isEqualTo(403);
  }

  @Test
  void pathOutsideTheRolesPrefixes_permissionDenied_evenWhenTheSecretExists() throws Exception {
    VaultTestClient.Answer answer = loggedIn(null).read("secret/data/other/db");

    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.body()).doesNotContain("not-yours");
  }

  @Test
  void missingSecretAndUnknownMount_are404WithAnEmptyErrorList() throws Exception {
    VaultTestClient client = loggedIn(null);

    assertThat(client.read("secret/data/app/absent").body()).isEqualTo("{\"errors\":[]}");
    assertThat(client.read("secret/data/app/absent").status()).isEqualTo(404);
    assertThat(client.read("nomount/anything").status()).isEqualTo(404);
    assertThat(client.read("kv/app/absent").status()).isEqualTo(404);
  }

  @Test
  void revokeAllTokens_turnsExistingTokensInto403_untilTheClientLogsInAgain() throws Exception {
    try (VaultEmulator own = new VaultEmulator()) {
      own.addRole("", "kubernetes", APP);
      own.putKv2("", "secret", "app/db", Map.of("password", "p"));
      StartedEmulator ownStarted =
          own.start(EmulatorOptions.create(caFile.resolveSibling("own-ca.pem")));
      VaultTestClient client = VaultTestClient.plain(ownStarted.endpoint("http"));
      String jwt = own.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(5));
      client.login("kubernetes", "app", jwt);

      own.revokeAllTokens();

      assertThat(client.read("secret/data/app/db").status()).isEqualTo(403);
      client.login("kubernetes", "app", jwt);
      assertThat(client.read("secret/data/app/db").status()).isEqualTo(200);
    }
  }

  @Test
  void expiredToken_permissionDenied() throws Exception {
    vault.addRole(
        "",
        "short",
        new VaultRole(
            "app",
            List.of("app"),
            List.of("demo"),
            null,
            List.of("secret/"),
            Duration.ofMillis(200)));
    VaultTestClient client = VaultTestClient.plain(started.endpoint("http"));
    client.login(
        "short",
        "app",
        vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(5)));

    // The token lives 200 ms: reads are refused once it has expired (and never served again after).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.read("secret/data/app/db").status() == 403);
    assertThat(client.read("secret/data/app/db").status()).isEqualTo(403);
  }

  @Test
  void https_servesAClientThatTrustsTheExportedCa() throws Exception {
    assertThat(started.settings()).containsEntry("VAULT_CACERT", caFile.toString());
    VaultTestClient client =
        VaultTestClient.trusting(
            java.net.URI.create(started.settings().get("VAULT_ADDR_TLS")), caFile);
    client.login(
        "kubernetes",
        "app",
        vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(5)));

    assertThat(client.read("secret/data/app/db").status()).isEqualTo(200);
    assertThat(started.settings().get("VAULT_ADDR")).isEqualTo(started.endpoint("http").toString());
    assertThat(started.endpoint("https").getScheme()).isEqualTo("https");
  }

  @Test
  void sysMounts_listsTheNamespacesMountsWithTheirKvVersions() throws Exception {
    VaultTestClient.Answer answer = loggedIn(null).read("sys/mounts");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.data().path("secret/").path("type").asText()).isEqualTo("kv");
    assertThat(answer.data().path("secret/").path("options").path("version").asText())
        .isEqualTo("2");
    assertThat(answer.data().path("kv/").path("options").path("version").asText()).isEqualTo("1");
  }

  @Test
  void seeding_aMountAsTwoKinds_isRefused() {
    assertThatThrownBy(() -> vault.putKv1("", "secret", "x", Map.of("a", "b")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void isDiscoveredAsTheVaultEmulator() {
    assertThat(Emulators.discover()).extracting(CloudEmulator::name).contains("vault");
  }
}
