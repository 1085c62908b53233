// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import io.fabric8.kubernetes.api.model.authentication.BoundObjectReference;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.ServiceAccountToken;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Mints a service-account token for a pod with the TokenRequest API, for drivers configured without
 * {@code tokenRequests}. Only used when the operator enables it by flag: the token is short-lived
 * and bound to the pod (name and UID), so it dies with the pod.
 */
public final class TokenRequests {
  /** Upstream's lifetime for self-minted tokens; the API server's minimum is 10 minutes. */
  public static final Duration TTL = Duration.ofMinutes(15);

  private final KubernetesClient client;

  public TokenRequests(KubernetesClient client) {
    this.client = client;
  }

  /**
   * A token for the pod's service account with one audience.
   *
   * @throws ProviderException UNAUTHENTICATED (or per {@link KubeErrors}) without the token
   */
  public ServiceAccountToken mint(PodIdentity pod, String audience) {
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(List.of(audience))
            .withExpirationSeconds(TTL.toSeconds())
            .withBoundObjectRef(new BoundObjectReference("v1", "Pod", pod.name(), pod.uid()))
            .endSpec()
            .build();
    try {
      return token(
          client
              .serviceAccounts()
              .inNamespace(pod.namespace())
              .withName(pod.serviceAccountName())
              .tokenRequest(request),
          audience,
          TTL);
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(
          e,
          "create a token for service account " + pod.namespace() + "/" + pod.serviceAccountName());
    }
  }

  /**
   * A token for a service account itself, bound to no pod, with one audience (the SecretSync
   * controller fetches for {@code spec.serviceAccountName}, which no pod of its own runs as).
   *
   * @throws ProviderException UNAUTHENTICATED (or per {@link KubeErrors}) without the token
   */
  public ServiceAccountToken mintUnbound(
      String namespace, String serviceAccount, String audience, Duration ttl) {
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(List.of(audience))
            .withExpirationSeconds(ttl.toSeconds())
            .endSpec()
            .build();
    try {
      return token(
          client
              .serviceAccounts()
              .inNamespace(namespace)
              .withName(serviceAccount)
              .tokenRequest(request),
          audience,
          ttl);
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(
          e, "create a token for service account " + namespace + "/" + serviceAccount);
    }
  }

  private static ServiceAccountToken token(TokenRequest response, String audience, Duration ttl) {
    if (response == null
        || response.getStatus() == null
        || response.getStatus().getToken() == null) {
      throw ProviderException.unauthenticated(
          "the TokenRequest API returned no token for the service account");
    }
    String expiry = response.getStatus().getExpirationTimestamp();
    Instant expiresAt =
        expiry == null ? Instant.now().plus(ttl) : OffsetDateTime.parse(expiry).toInstant();
    return new ServiceAccountToken(audience, response.getStatus().getToken(), expiresAt);
  }
}
