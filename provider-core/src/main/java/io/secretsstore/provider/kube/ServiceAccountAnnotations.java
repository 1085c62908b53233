// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Service-account annotations (an IAM role, a Google service account) read from one informer's
 * cache, so a mount never costs a GET (upstream issues aws #136, gcp #383). The informer starts on
 * first use and watches service accounts in all namespaces; a Kubernetes API that cannot be reached
 * fails the lookup with UNAVAILABLE, and the next lookup tries again.
 */
public final class ServiceAccountAnnotations implements AutoCloseable {
  private final Supplier<KubernetesClient> kube;
  private final String annotation;
  private volatile SharedIndexInformer<ServiceAccount> informer;

  /**
   * @param kube the client, created on first use; it may supply null when there is no Kubernetes API
   * @param annotation the annotation the backend reads, named in errors
   */
  public ServiceAccountAnnotations(Supplier<KubernetesClient> kube, String annotation) {
    this.kube = kube;
    this.annotation = annotation;
  }

  /** Whether there is a Kubernetes API to read from at all (tests and the demo run without one). */
  public boolean available() {
    return kube.get() != null;
  }

  /**
   * The service account's annotations; empty when it does not exist (yet) in the cache.
   *
   * @throws ProviderException UNAVAILABLE when the API server cannot be reached
   */
  public Optional<Map<String, String>> of(String namespace, String serviceAccount) {
    return Optional.ofNullable(informer().getIndexer().getByKey(namespace + "/" + serviceAccount))
        .map(found -> found.getMetadata().getAnnotations());
  }

  private SharedIndexInformer<ServiceAccount> informer() {
    SharedIndexInformer<ServiceAccount> current = informer;
    if (current == null) {
      synchronized (this) {
        current = informer;
        if (current == null) {
          KubernetesClient client = kube.get();
          if (client == null) {
            throw new IllegalStateException("no Kubernetes client: check available() first");
          }
          try {
            current = client.serviceAccounts().inAnyNamespace().inform();
          } catch (KubernetesClientException e) {
            // Not a bug of the mount: the API server is down or unreachable. Its text names hosts only.
            throw ProviderException.of(ErrorKind.UNAVAILABLE, "the Kubernetes API cannot be reached to read the service account's "
                + annotation + " annotation; the next mount tries again");
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
