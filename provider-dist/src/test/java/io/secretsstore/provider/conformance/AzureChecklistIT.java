// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

/** The security checklist for the Azure backend. */
class AzureChecklistIT extends ChecklistSuite {
  AzureChecklistIT() {
    super(new AzureCases());
  }
}
