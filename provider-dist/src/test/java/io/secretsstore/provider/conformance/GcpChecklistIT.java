// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

/** The security checklist for the GCP backend. */
class GcpChecklistIT extends ChecklistSuite {
  GcpChecklistIT() {
    super(new GcpCases());
  }
}
