// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

/** Faults injected by the GCP emulator. */
class GcpFaultsIT extends FaultSuite {
  GcpFaultsIT() {
    super(new GcpCases());
  }
}
