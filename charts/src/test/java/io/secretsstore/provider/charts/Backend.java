// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

/** The four application charts, one per backend. */
enum Backend {
  AWS("aws"),
  AZURE("azure"),
  GCP("gcp"),
  VAULT("vault");

  private final String id;

  Backend(String id) {
    this.id = id;
  }

  /** The backend name: the --backend value and the upstream provider (socket) name. */
  String id() {
    return id;
  }

  /** The chart directory and chart name. */
  String chart() {
    return "secrets-store-provider-" + id;
  }

  @Override
  public String toString() {
    return id;
  }
}
