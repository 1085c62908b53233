// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

/** How a mount authenticates to Google, from {@code auth} and the nodePublishSecretRef. */
enum AuthMode {
  /** The pod's workload identity: its token exchanged at STS, optionally impersonating. */
  POD_ADC("pod-adc"),
  /** The provider's own Application Default Credentials (operator opt-in). */
  PROVIDER_ADC("provider-adc"),
  /** A service-account key ({@code key.json}) from the nodePublishSecretRef (operator opt-in). */
  NODE_PUBLISH_SECRET("nodePublishSecretRef");

  private final String label;

  AuthMode(String label) {
    this.label = label;
  }

  /** The name used in messages and identity keys. */
  String label() {
    return label;
  }
}
