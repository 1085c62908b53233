// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultFaultsAndDemoTest {
  @TempDir Path dir;

  private VaultEmulator vault;
  private StartedEmulator started;

  @BeforeEach
  void start() throws Exception {
    vault = new VaultEmulator();
    started = vault.start(EmulatorOptions.create(dir.resolve("ca.pem")));
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Test
  void callsAreCountedPerOperation() throws Exception {
    vault.addRole(
        "",
        "kubernetes",
        new VaultRole(
            "app", List.of("app"), List.of("demo"), null, List.of("secret/", "database/"), null));
    vault.putKv2("", "secret", "a", Map.of("k", "v"));
    vault.enableDatabase("", "database", "ro", Duration.ofMinutes(1));
    VaultTestClient client = VaultTestClient.plain(started.endpoint("http"));

    client.login(
        "kubernetes",
        "app",
        vault.mintServiceAccountToken("demo", "app", null, Duration.ofMinutes(1)));
    client.read("secret/data/a");
    client.write("secret/data/a", Map.of("data", Map.of("k", "v2")));
    String lease = client.read("database/creds/ro").json().path("lease_id").asText();
    client.put("sys/leases/renew", Map.of("lease_id", lease));
    client.put("sys/leases/revoke", Map.of("lease_id", lease));

    assertThat(vault.calls().snapshot())
        .containsEntry("vault.login", 1L)
        .containsEntry("vault.read", 2L)
        .containsEntry("vault.write", 1L)
        .containsEntry("vault.renew", 1L)
        .containsEntry("vault.revoke", 1L);
  }

  @Test
  void aFaultOnOneSecretPath_failsOnlyThatSecret_inVaultsErrorShape() throws Exception {
    vault.addRole(
        "",
        "kubernetes",
        new VaultRole("app", List.of("app"), List.of("demo"), null, List.of("secret/"), null));
    vault.putKv2("", "secret", "a", Map.of("k", "v"));
    vault.putKv2("", "secret", "b", Map.of("k", "v"));
    VaultTestClient client = VaultTestClient.plain(started.endpoint("http"));
    client.login(
        "kubernetes",
        "app",
        vault.mintServiceAccountToken("demo", "app", null, Duration.ofMinutes(1)));
    vault.faults().inject("vault.read", "secret/data/a", Fault.error(503), 1);

    VaultTestClient.Answer failed = client.read("secret/data/a?version=1");
    VaultTestClient.Answer other = client.read("secret/data/b");
    VaultTestClient.Answer again = client.read("secret/data/a");

    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.body()).isEqualTo("{\"errors\":[\"injected fault\"]}");
    assertThat(other.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(200);
  }

  @Test
  void aFaultOnLogin_isRenderedLikeVault() throws Exception {
    vault.faults().inject("vault.login", Fault.throttled(Duration.ofSeconds(2)), 1);

    VaultTestClient.Answer answer =
        VaultTestClient.plain(started.endpoint("http"))
            .write("auth/kubernetes/login", Map.of("role", "r", "jwt", "j"));

    assertThat(answer.status()).isEqualTo(429);
    assertThat(answer.json().path("errors").isArray()).isTrue();
  }

  @Test
  void demo_isSelfConsistent_itsTokenLogsInWithItsRoleAndReadsEveryObject() throws Exception {
    DemoScenario demo = vault.demo(started).orElseThrow();

    assertThat(demo.backend()).isEqualTo("vault");
    assertThat(demo.namespace()).isEqualTo("demo");
    assertThat(demo.serviceAccount()).isEqualTo("app");
    assertThat(demo.serveFlags())
        .containsExactly(
            "--vault-addr=" + started.endpoint("https"),
            "--vault-ca-cert=" + dir.resolve("ca.pem"),
            "--vault-hmac-key-file=" + dir.resolve("vault-demo-hmac-key"));
    assertThat(
            java.util.Base64.getDecoder()
                .decode(java.nio.file.Files.readString(dir.resolve("vault-demo-hmac-key"))))
        .hasSize(32);
    assertThat(demo.secretProviderClass())
        .contains(
            "apiVersion: secrets-store.csi.x-k8s.io/v1",
            "name: app-secrets",
            "namespace: demo",
            "provider: vault",
            "roleName: app")
        .contains("objectName: db-password", "objectName: db-username", "objectName: config.json");
    VaultTestClient client =
        VaultTestClient.trusting(started.endpoint("https"), dir.resolve("ca.pem"));
    client.login("kubernetes", "app", demo.tokensByAudience().get("vault"));

    VaultTestClient.Answer db = client.read("secret/data/app/db");
    VaultTestClient.Answer config = client.read("kv/app/config");

    assertThat(db.data().path("data").path("username").asText()).isEqualTo("app");
    assertThat(db.data().path("data").path("password").asText()).hasSizeGreaterThanOrEqualTo(16);
    assertThat(config.status()).isEqualTo(200);
    assertThat(demo.toString()).doesNotContain(demo.tokensByAudience().get("vault"));
  }
}
