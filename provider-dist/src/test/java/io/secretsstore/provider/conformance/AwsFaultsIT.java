// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

/** Faults injected by the AWS emulator. */
class AwsFaultsIT extends FaultSuite {
  AwsFaultsIT() {
    super(new AwsCases());
  }
}
