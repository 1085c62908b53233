// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secretsstore.provider.concurrent.SingleFlight;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Service-account annotations (an IAM role, a Google service account) read by name when a mount
 * needs them and kept for a short time. One GET per distinct service account per {@link #TTL}:
 * concurrent mounts of one account share one request (upstream GETs on every mount and is throttled
 * in bursts, aws #136, gcp #383), and, unlike a cluster-wide informer, the memory and the API load
 * follow the service accounts mounted on this node, not the cluster's size.
 */
public final class ServiceAccountAnnotations implements AutoCloseable {
  /**
   * How long an answer (also "no such account") is used; an annotation edit is seen after at most
   * this.
   */
  public static final Duration TTL = Duration.ofSeconds(30);

  /**
   * Distinct service accounts remembered at once. A node runs at most a few hundred pods, so this
   * is never the limit in practice; it bounds memory if something asks for many more.
   */
  static final int MAX_ACCOUNTS = 1_024;

  private final SharedKubeClient kube;
  private final String annotation;
  private final Cache<Key, Optional<Map<String, String>>> cache;
  private final SingleFlight<Key, Optional<Map<String, String>>> reads = new SingleFlight<>();

  /**
   * @param kube the process's client, created on first use; {@link #available} says whether there
   *     is one
   * @param annotation the annotation the backend reads, named in errors
   */
  public ServiceAccountAnnotations(SharedKubeClient kube, String annotation) {
    this(kube, annotation, TTL, Ticker.systemTicker());
  }

  /** With the time an answer is used and the clock that measures it, for tests. */
  public ServiceAccountAnnotations(
      SharedKubeClient kube, String annotation, Duration ttl, Ticker ticker) {
    this.kube = kube;
    this.annotation = annotation;
    // Not a loading cache: its loader runs under the lock of the map's bin, so a GET that hangs
    // until its timeout would hold the mounts of every account whose key shares the bin. The GET
    // runs outside instead, one per account at a time (reads). Failures are not cached, so the
    // next mount after an API outage asks again.
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(MAX_ACCOUNTS)
            .expireAfterWrite(ttl)
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
  }

  /** Whether there is a Kubernetes API to read from at all (tests and the demo run without one). */
  public boolean available() {
    return kube.available();
  }

  /**
   * The service account's annotations; empty when it does not exist.
   *
   * @throws ProviderException UNAVAILABLE when the API server cannot be reached,
   *     FAILED_PRECONDITION when the provider's RBAC does not allow the read, CANCELLED when the
   *     thread is interrupted while another mount's read of the account runs
   */
  public Optional<Map<String, String>> of(String namespace, String serviceAccount) {
    Key key = new Key(namespace, serviceAccount);
    Optional<Map<String, String>> known = cache.getIfPresent(key);
    if (known != null) {
      return known;
    }
    try {
      return reads.run(
          key,
          () -> {
            // Another mount's read may have ended between the look-up above and this call.
            Optional<Map<String, String>> read = cache.getIfPresent(key);
            if (read == null) {
              read = get(key);
              cache.put(key, read);
            }
            return read;
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(
          ErrorKind.CANCELLED, "the mount was cancelled while the service account was read");
    }
  }

  /** Service accounts remembered now, for tests and the bench. */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private Optional<Map<String, String>> get(Key key) {
    KubernetesClient client = kube.get();
    if (client == null) {
      throw new IllegalStateException("no Kubernetes client: check available() first");
    }
    ServiceAccount found;
    try {
      found = client.serviceAccounts().inNamespace(key.namespace()).withName(key.name()).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0) {
        // Not a bug of the mount: the API server is down or unreachable. Its text names hosts only.
        throw ProviderException.of(
            ErrorKind.UNAVAILABLE,
            "the Kubernetes API cannot be reached to read the service account's "
                + annotation
                + " annotation; the next mount tries again");
      }
      throw KubeErrors.translate(e, "get the service account (its " + annotation + " annotation)");
    }
    if (found == null) {
      return Optional.empty();
    }
    Map<String, String> annotations = found.getMetadata().getAnnotations();
    // Only the annotations are kept: the rest of the object (secrets, labels) is not needed.
    return Optional.of(annotations == null ? Map.of() : Map.copyOf(annotations));
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }

  private record Key(String namespace, String name) {}
}
