// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The {@code vault} backend's demo: a KV v2 secret {@code secret/app/db}, a KV v1 secret {@code
 * kv/app/config}, a role {@code app} for service account {@code demo/app} (audience {@code vault}),
 * and a SecretProviderClass reading all three objects.
 */
final class VaultDemo {
  static final String NAMESPACE = "demo";
  static final String SERVICE_ACCOUNT = "app";
  static final String ROLE = "app";
  static final String AUDIENCE = "vault";

  static final String SECRET_PROVIDER_CLASS =
      """
      apiVersion: secrets-store.csi.x-k8s.io/v1
      kind: SecretProviderClass
      metadata:
        name: app-secrets
        namespace: demo
      spec:
        provider: vault
        parameters:
          roleName: app
          objects: |
            - objectName: db-password
              secretPath: secret/data/app/db
              secretKey: password
            - objectName: db-username
              secretPath: secret/data/app/db
              secretKey: username
            - objectName: config.json
              secretPath: kv/app/config
      """;

  private VaultDemo() {}

  private static Path hmacKeyFile(Path caFile) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path file = caFile.resolveSibling("vault-demo-hmac-key");
    try {
      Files.writeString(file, Base64.getEncoder().encodeToString(key));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo's HMAC key file", e);
    }
    return file;
  }

  /** The {@code serve} flags that point the backend at this started emulator. */
  static List<String> serveFlags(StartedEmulator started) {
    return List.of(
        "--vault-addr=" + started.endpoint("https"),
        "--vault-ca-cert=" + started.settings().get("VAULT_CACERT"),
        // No cluster, so no Kubernetes Secret for the version key: a key file beside the CA.
        "--vault-hmac-key-file=" + hmacKeyFile(Path.of(started.settings().get("VAULT_CACERT"))));
  }

  static DemoScenario seed(VaultEmulator vault, StartedEmulator started) {
    vault.putKv2(
        "",
        "secret",
        "app/db",
        Map.of("username", "app", "password", Envelope.randomAlphanumeric(24)));
    vault.putKv1(
        "", "kv", "app/config", Map.of("log_level", "info", "feature_flags", List.of("beta")));
    vault.addRole(
        "",
        VaultEmulator.DEFAULT_AUTH_MOUNT,
        new VaultRole(
            ROLE,
            List.of(SERVICE_ACCOUNT),
            List.of(NAMESPACE),
            AUDIENCE,
            List.of("secret/data/app/", "kv/app/"),
            Duration.ofHours(1)));
    String token =
        vault.mintServiceAccountToken(NAMESPACE, SERVICE_ACCOUNT, AUDIENCE, Duration.ofHours(24));
    return new DemoScenario(
        "vault",
        serveFlags(started),
        SECRET_PROVIDER_CLASS,
        NAMESPACE,
        SERVICE_ACCOUNT,
        Map.of(AUDIENCE, token));
  }
}
