// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

/** The security checklist for the AWS backend. */
class AwsChecklistIT extends ChecklistSuite {
  AwsChecklistIT() {
    super(new AwsCases());
  }
}
