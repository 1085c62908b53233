// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

/** Faults injected by the Azure emulator. */
class AzureFaultsIT extends FaultSuite {
  AzureFaultsIT() {
    super(new AzureCases());
  }
}
