// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;

/**
 * Kubernetes API failures as provider errors. The API server's message is not used: it can quote
 * the object that was sent, and a Secret's data is secret.
 */
final class KubeErrors {
  private KubeErrors() {}

  static ProviderException translate(KubernetesClientException e, String action) {
    int code = e.getCode();
    if (code == 401 || code == 403) {
      return ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          "the provider's service account may not "
              + action
              + " (HTTP "
              + code
              + "); check the chart's RBAC",
          e);
    }
    if (code == 404) {
      return ProviderException.of(ErrorKind.NOT_FOUND, "could not " + action + ": not found", e);
    }
    if (code == 429 || code >= 500 || code <= 0) {
      return ProviderException.of(
          ErrorKind.UNAVAILABLE,
          "could not "
              + action
              + ": the Kubernetes API is unavailable"
              + (code > 0 ? " (HTTP " + code + ")" : ""),
          e);
    }
    return ProviderException.of(
        ErrorKind.INTERNAL, "could not " + action + " (HTTP " + code + ")", e);
  }
}
