// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which Google service account a Kubernetes service account impersonates: {@code
 * --gcp-service-account-for} first, else its {@code iam.gke.io/gcp-service-account} and {@code
 * -delegates} annotations read from an informer's cache, so a mount never costs a GET (upstream
 * GETs the service account on every mount and is throttled in bursts, its #383). Without either,
 * the pod's federated token is used directly. The informer starts on first use.
 */
final class ServiceAccountAnnotations implements AutoCloseable {
  static final String ANNOTATION = "iam.gke.io/gcp-service-account";
  static final String DELEGATES = "iam.gke.io/gcp-service-account-delegates";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> fixed;
  private final Supplier<KubernetesClient> kube;
  private volatile SharedIndexInformer<ServiceAccount> informer;

  ServiceAccountAnnotations(Map<String, String> fixed, Supplier<KubernetesClient> kube) {
    this.fixed = Map.copyOf(fixed);
    this.kube = kube;
  }

  /** The Google service account to impersonate, or null for direct federated access. */
  GoogleServiceAccount lookup(String namespace, String serviceAccount) {
    String key = namespace + "/" + serviceAccount;
    String mapped = fixed.get(key);
    if (mapped != null) {
      return new GoogleServiceAccount(mapped, List.of());
    }
    SharedIndexInformer<ServiceAccount> cache = informer();
    ServiceAccount found = cache == null ? null : cache.getIndexer().getByKey(key);
    Map<String, String> annotations = found == null ? null : found.getMetadata().getAnnotations();
    String email = annotations == null ? null : annotations.get(ANNOTATION);
    if (email == null || email.isBlank()) {
      return null;
    }
    return new GoogleServiceAccount(email.strip(), delegates(annotations.get(DELEGATES), key));
  }

  private static List<String> delegates(String json, String key) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw ProviderException.of(ErrorKind.PERMISSION_DENIED,
          "unable to parse delegates annotation on SA " + key + ": " + DELEGATES + " must be a JSON list of emails");
    }
  }

  /** The informer, or null when there is no Kubernetes API (tests and the demo use the fixed map). */
  private SharedIndexInformer<ServiceAccount> informer() {
    SharedIndexInformer<ServiceAccount> current = informer;
    if (current == null) {
      synchronized (this) {
        current = informer;
        if (current == null) {
          KubernetesClient client = kube.get();
          if (client == null) {
            return null;
          }
          try {
            current = client.serviceAccounts().inAnyNamespace().inform();
          } catch (KubernetesClientException e) {
            // Not a bug of the mount: the API server is down or unreachable. Its text names hosts only.
            throw ProviderException.of(ErrorKind.UNAVAILABLE, "the Kubernetes API cannot be reached to read the service account's " + ANNOTATION + " annotation; the next mount tries again");
          }
          informer = current;
        }
      }
    }
    return current;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
