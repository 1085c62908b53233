// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

/** Faults injected by the Vault emulator. */
class VaultFaultsIT extends FaultSuite {
  VaultFaultsIT() {
    super(new VaultCases());
  }
}
