// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import java.util.List;

/**
 * The Google service account a Kubernetes service account impersonates, from its annotations.
 *
 * @param email {@code iam.gke.io/gcp-service-account}
 * @param delegates {@code iam.gke.io/gcp-service-account-delegates}, in chain order
 */
record GoogleServiceAccount(String email, List<String> delegates) {
  GoogleServiceAccount {
    delegates = List.copyOf(delegates);
  }
}
