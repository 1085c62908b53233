// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.fabric8.kubernetes.api.model.authentication.BoundObjectReference;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secretsstore.provider.kube.TokenRequests;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ProviderException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Mints a pod's token with TokenRequest when the driver sent none (only with {@code
 * --vault-allow-token-request}): 15 minutes, bound to the pod. With an {@code audience} parameter
 * core's {@link TokenRequests} mints it; without one, upstream asks for no audience so the API
 * server's own applies, which is what Kubernetes auth roles without an audience verify through
 * TokenReview. Core's helper always sets an audience, so that case is done here.
 */
final class PodTokenMinter {
  /** The process's client, created on the first mint: most providers never mint. */
  private final Supplier<KubernetesClient> kube;

  PodTokenMinter(Supplier<KubernetesClient> kube) {
    this.kube = kube;
  }

  /** The JWT; {@code audience} empty means the API server's default audiences. */
  String mint(PodIdentity pod, String audience) {
    if (!audience.isEmpty()) {
      return new TokenRequests(kube.get()).mint(pod, audience).value();
    }
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(List.of())
            .withExpirationSeconds(TokenRequests.TTL.toSeconds())
            .withBoundObjectRef(new BoundObjectReference("v1", "Pod", pod.name(), pod.uid()))
            .endSpec()
            .build();
    try {
      TokenRequest response =
          kube.get()
              .serviceAccounts()
              .inNamespace(pod.namespace())
              .withName(pod.serviceAccountName())
              .tokenRequest(request);
      if (response == null
          || response.getStatus() == null
          || response.getStatus().getToken() == null) {
        throw ProviderException.unauthenticated(
            "the TokenRequest API returned no token for the pod's service account");
      }
      return response.getStatus().getToken();
    } catch (KubernetesClientException e) {
      int code = e.getCode();
      ErrorKind kind =
          code == 401 || code == 403
              ? ErrorKind.FAILED_PRECONDITION
              : code == 429 || code >= 500 || code <= 0
                  ? ErrorKind.UNAVAILABLE
                  : ErrorKind.UNAUTHENTICATED;
      throw ProviderException.of(
          kind, "could not create a token for the pod's service account (HTTP " + code + ")", e);
    }
  }
}
