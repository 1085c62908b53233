// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.Fault;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** {@code /readyz} asks the backend: Vault at the default address reachable and serving. */
class VaultReadinessIT {
  @Test
  void readiness_followsVaultsHealth_andFailsWhenVaultIsDown() throws Exception {
    VaultTestBed bed = new VaultTestBed();
    VaultBackend backend = bed.backend(bed.settings(), Clock.systemUTC());
    try {
      assertThat(backend.readinessProblem()).isEmpty();
      bed.vault.faults().inject("vault.health", Fault.error(503), 1);
      assertThat(backend.readinessProblem())
          .hasValueSatisfying(p -> assertThat(p).contains("sealed"));
      assertThat(backend.readinessProblem()).isEmpty();
      bed.vault.close();
      assertThat(backend.readinessProblem())
          .hasValueSatisfying(p -> assertThat(p).contains("unreachable"));
    } finally {
      backend.close();
      bed.close();
    }
  }
}
