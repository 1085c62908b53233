// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static io.secretsstore.provider.vault.VaultTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.emulators.vault.ClientCertificate;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mutual TLS to Vault: the client certificate flags (vaultTLSClientCertPath/KeyPath upstream). */
class VaultMutualTlsIT {
  @Test
  void clientCertificate_isPresented_andWithoutOneVaultIsUnreachable() throws Exception {
    Path dir = Files.createTempDirectory("vault-mtls");
    try (VaultTestBed bed = new VaultTestBed(true)) {
      bed.vault.putKv2("", "secret", "app/db", Map.of("username", "app-user"));
      ClientCertificate client = bed.vault.writeClientCertificate(dir);
      Map<String, String> attributes =
          bed.attributes("- {objectName: u, secretPath: secret/data/app/db, secretKey: username}");
      VaultSettings https =
          VaultSettings.forAddress(bed.httpsAddress())
              .withHmacNamespace(VaultTestBed.PROVIDER_NAMESPACE);

      VaultBackend withCert =
          bed.backend(
              https.withTls(
                  new TlsConfig(
                      bed.caFile.toString(),
                      "",
                      "",
                      client.certificate().toString(),
                      client.privateKey().toString(),
                      false)));
      try (ProviderFixture provider = ProviderFixture.start(withCert, VaultTestBed.FAST)) {
        byte[] contents =
            provider
                .client()
                .mount(call(attributes), Duration.ofSeconds(30))
                .files()
                .get(0)
                .contents();
        assertThat(new String(contents, StandardCharsets.UTF_8)).isEqualTo("app-user");
      } finally {
        withCert.close();
      }

      VaultBackend withoutCert =
          bed.backend(https.withTls(new TlsConfig(bed.caFile.toString(), "", "", "", "", false)));
      try (ProviderFixture provider = ProviderFixture.start(withoutCert, VaultTestBed.FAST)) {
        assertThatThrownBy(() -> provider.client().mount(call(attributes), Duration.ofSeconds(30)))
            .isInstanceOfSatisfying(
                ProviderCallException.class, e -> assertThat(e.code()).isEqualTo("UNAVAILABLE"));
      } finally {
        withoutCert.close();
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
