// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.vault.VaultEmulator;
import io.secretsstore.provider.emulators.vault.VaultRole;
import io.secretsstore.provider.spi.BackendCalls;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.Backends;
import io.secretsstore.provider.spi.SecretBackend;
import io.secretsstore.provider.sync.SecretSyncSpec;
import io.secretsstore.provider.sync.SyncStatus;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.SyncApiServer;
import io.secretsstore.provider.testing.SyncHarness;
import io.secretsstore.provider.testing.Teardown;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The SecretSync controller with the real Vault backend (found by ServiceLoader and configured by
 * its flags, as {@code sync --backend vault} does) against the Vault emulator, whose Kubernetes
 * auth role is bound to one service account.
 */
class VaultSecretSyncIT {
  private static final String NS = "team-a";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String OBJECTS =
      "- objectName: db-password\n  secretPath: secret/data/app/db\n  secretKey: password\n";

  @RegisterExtension final LogCapture logs = new LogCapture();

  /** Closes the controllers, then the API server and the backend, then the emulator. */
  private final Teardown teardown = new Teardown();

  private final VaultEmulator vault = teardown.add(new VaultEmulator());
  private StartedEmulator started;
  private Path caFile;
  private Path hmacKey;
  private SecretBackend backend;
  private SyncApiServer api;
  private SyncHarness harness;

  @BeforeEach
  void start() throws Exception {
    caFile = Files.createTempFile("vault-ca", ".pem");
    hmacKey = Files.createTempFile("vault-hmac", ".key");
    Files.write(hmacKey, new byte[32]);
    started = vault.start(EmulatorOptions.create(caFile));
    vault.addRole(
        "",
        "kubernetes",
        new VaultRole(
            "app", List.of("app"), List.of(NS), "vault", List.of("secret/"), Duration.ofHours(1)));
    vault.putKv2("", "secret", "app/db", Map.of("password", Canaries.SECRET));
    BackendFactory factory = Backends.named(Backends.discover(), "vault");
    new CommandLine(factory.options())
        .parseArgs("--vault-addr=" + started.endpoint("http"), "--vault-hmac-key-file=" + hmacKey);
    backend = factory.start(BackendContext.standard(BackendCalls.NONE));
    teardown.add(backend);

    api = teardown.add(new SyncApiServer());
    for (String serviceAccount : List.of("app", "intruder")) {
      api.serviceAccountToken(
          NS,
          serviceAccount,
          vault.mintServiceAccountToken(NS, serviceAccount, "vault", Duration.ofHours(1)));
    }
    api.createProviderClass(NS, "vault-db", "vault", Map.of("roleName", "app", "objects", OBJECTS));
    harness = teardown.add(new SyncHarness(api, backend, List.of("vault")));
  }

  @AfterEach
  void stop() throws Exception {
    teardown.close();
    Files.deleteIfExists(caFile);
    Files.deleteIfExists(hmacKey);
    logs.assertNoCanary(Canaries.SECRET);
    assertThat(harness.audit.toString()).doesNotContain(Canaries.SECRET);
  }

  private Map<String, Object> created(String name) {
    return SyncStatus.of(api.secretSync(NS, name).getAdditionalProperties().get("status"))
        .condition(SyncStatus.CREATED);
  }

  @Test
  void boundServiceAccount_getsTheVaultSecretIntoItsKubernetesSecret_andRotationFollows() {
    api.createSecretSync(
        NS, "db", SyncApiServer.opaqueSpec("vault-db", "app", "db-password", "password"));
    harness.start("sync-0");

    await()
        .atMost(WAIT)
        .until(() -> api.client().secrets().inNamespace(NS).withName("db").get() != null);
    Secret secret = api.client().secrets().inNamespace(NS).withName("db").get();
    assertThat(
            new String(
                Base64.getDecoder().decode(secret.getData().get("password")),
                StandardCharsets.UTF_8))
        .isEqualTo(Canaries.SECRET);
    assertThat(secret.getMetadata().getLabels()).containsKey(SecretSyncSpec.RESERVED_LABEL);

    vault.putKv2("", "secret", "app/db", Map.of("password", "rotated-" + Canaries.SECRET));
    await()
        .atMost(WAIT)
        .until(
            () ->
                new String(
                        Base64.getDecoder()
                            .decode(
                                api.client()
                                    .secrets()
                                    .inNamespace(NS)
                                    .withName("db")
                                    .get()
                                    .getData()
                                    .get("password")),
                        StandardCharsets.UTF_8)
                    .equals("rotated-" + Canaries.SECRET));
    assertThat(api.secretApplies(NS, "db")).isEqualTo(2);
  }

  @Test
  void serviceAccountTheRoleDoesNotBind_isDeniedByVault_andNoSecretIsWritten() {
    api.createSecretSync(
        NS, "stolen", SyncApiServer.opaqueSpec("vault-db", "intruder", "db-password", "password"));
    harness.start("sync-0");

    await().atMost(WAIT).until(() -> "False".equals(created("stolen").get("status")));
    assertThat(created("stolen")).containsEntry("reason", "ProviderError");
    assertThat(String.valueOf(created("stolen").get("message"))).doesNotContain(Canaries.SECRET);
    assertThat(api.client().secrets().inNamespace(NS).withName("stolen").get()).isNull();
    assertThat(api.secretApplies(NS, "stolen")).isZero();
  }
}
