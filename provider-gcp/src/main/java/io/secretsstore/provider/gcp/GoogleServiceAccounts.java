// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import com.github.benmanes.caffeine.cache.Ticker;
import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.kube.ServiceAccountAnnotations;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * Which Google service account a Kubernetes service account impersonates: {@code
 * --gcp-service-account-for} first, else its {@code iam.gke.io/gcp-service-account} and {@code
 * -delegates} annotations, read by name and kept for a short time by core's {@link
 * ServiceAccountAnnotations}: one GET per service account per TTL (upstream GETs the service
 * account on every mount and is throttled in bursts, its #383), and no cluster-wide watch. Without
 * either, the pod's federated token is used directly.
 */
final class GoogleServiceAccounts implements AutoCloseable {
  static final String ANNOTATION = "iam.gke.io/gcp-service-account";
  static final String DELEGATES = "iam.gke.io/gcp-service-account-delegates";

  private final Map<String, String> fixed;
  private final ServiceAccountAnnotations annotations;

  GoogleServiceAccounts(Map<String, String> fixed, SharedKubeClient kube, Duration ttl) {
    this.fixed = Map.copyOf(fixed);
    this.annotations = new ServiceAccountAnnotations(kube, ANNOTATION, ttl, Ticker.systemTicker());
  }

  /** The Google service account to impersonate, or null for direct federated access. */
  GoogleServiceAccount lookup(String namespace, String serviceAccount) {
    String key = namespace + "/" + serviceAccount;
    String mapped = fixed.get(key);
    if (mapped != null) {
      return new GoogleServiceAccount(mapped, List.of());
    }
    if (!annotations.available()) {
      return null;
    }
    Map<String, String> found = annotations.of(namespace, serviceAccount).orElse(null);
    String email = found == null ? null : found.get(ANNOTATION);
    if (email == null || email.isBlank()) {
      return null;
    }
    return new GoogleServiceAccount(email.strip(), delegates(found.get(DELEGATES), key));
  }

  private static List<String> delegates(String json, String key) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      return JsonMappers.READER.readValue(json, new TypeReference<List<String>>() {});
    } catch (JacksonException e) {
      throw ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          "unable to parse delegates annotation on SA "
              + key
              + ": "
              + DELEGATES
              + " must be a JSON list of emails");
    }
  }

  @Override
  public void close() {
    annotations.close();
  }
}
