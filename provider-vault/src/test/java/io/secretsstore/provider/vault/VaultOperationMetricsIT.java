// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static io.secretsstore.provider.vault.VaultTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.ProviderFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every call to Vault is reported by operation and outcome, with bounded names and no paths. */
class VaultOperationMetricsIT {
  @Test
  void calls_areReportedByOperationAndOutcome() throws Exception {
    List<String> recorded = new CopyOnWriteArrayList<>();
    try (VaultTestBed bed = new VaultTestBed()) {
      bed.vault.putKv2("", "secret", "app/db", Map.of("username", "app-user"));
      Clock clock = Clock.systemUTC();
      VaultBackend backend =
          VaultBackend.start(
              bed.settings(),
              new BackendContext(
                      clock,
                      new CredentialCache(clock, 100),
                      (operation, outcome, duration) -> recorded.add(operation + "/" + outcome))
                  .withKube(SharedKubeClient.of(bed.kube)));
      try (ProviderFixture provider = ProviderFixture.start(backend, VaultTestBed.FAST)) {
        provider
            .client()
            .mount(
                call(
                    bed.attributes(
                        "- {objectName: u, secretPath: secret/data/app/db, secretKey: username}")),
                Duration.ofSeconds(30));
        bed.vault.faults().inject("vault.health", Fault.error(503), 1);
        backend.readinessProblem();
      } finally {
        backend.close();
      }
    }
    assertThat(recorded).containsSubsequence("login/OK", "read/OK").contains("health/503");
    assertThat(recorded)
        .allSatisfy(r -> assertThat(r).doesNotContain("secret").doesNotContain("app"));
  }
}
