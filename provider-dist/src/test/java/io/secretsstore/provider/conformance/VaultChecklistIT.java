// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

/** The security checklist for the Vault backend. */
class VaultChecklistIT extends ChecklistSuite {
  VaultChecklistIT() {
    super(new VaultCases());
  }
}
