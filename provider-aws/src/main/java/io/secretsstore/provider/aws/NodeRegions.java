// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ProviderException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The region of the node a pod runs on, from its {@code topology.kubernetes.io/region} label: the
 * last step of upstream's region resolution, used only when neither the SecretProviderClass nor the
 * provider names a region. Unlike upstream (a pod GET and a node GET on every mount, throttled by
 * client-go until mounts fail with "rate: Wait(n=1) would exceed context deadline"):
 *
 * <ul>
 *   <li>the node is this provider's own ({@code --aws-node-name}, downward API) when known, so no
 *       pod GET is needed; otherwise each pod's {@code spec.nodeName} is read once and remembered;
 *   <li>each node's region is read once, by one request that concurrent mounts share, and kept;
 *   <li>requests go through the process's client with short timeouts and no retries, and a
 *       client-side rate limit, and a mount waits for them at most the lookup timeout, then fails
 *       with a message that says what to set instead.
 * </ul>
 */
final class NodeRegions implements AutoCloseable {
  static final String LABEL = "topology.kubernetes.io/region";
  private static final int REMEMBERED_PODS = 4096;
  private static final String HINT =
      "set the region parameter or start the provider with --aws-region";

  private final RegionLookup settings;
  private final Supplier<KubernetesClient> kube;
  private final RequestRate rate;
  private final ExecutorService lookups =
      Executors.newFixedThreadPool(2, new NamedThreads("aws-node-region"));
  private final Map<String, CompletableFuture<String>> byNode = new ConcurrentHashMap<>();
  private final Map<String, String> nodeOfPod =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > REMEMBERED_PODS;
            }
          });
  private KubernetesClient client;

  NodeRegions(RegionLookup settings, Supplier<KubernetesClient> kube) {
    this.settings = settings;
    this.kube = kube;
    this.rate = new RequestRate(settings.qps(), settings.burst(), System::nanoTime);
  }

  /**
   * The pod's region, or INVALID_ARGUMENT / FAILED_PRECONDITION / UNAVAILABLE saying what to set.
   */
  String region(PodIdentity pod) {
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    CompletableFuture<String> lookup;
    String node = settings.nodeName().isEmpty() ? nodeOfPod.get(pod.uid()) : settings.nodeName();
    if (node != null) {
      lookup = forNode(node, deadline);
    } else {
      lookup =
          CompletableFuture.supplyAsync(() -> podNode(pod, deadline), lookups)
              .thenCompose(n -> forNode(n, deadline));
    }
    try {
      return lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE,
          "Region not found: the node's "
              + LABEL
              + " label could not be read within "
              + settings.timeout().toMillis()
              + " ms (Kubernetes API slow or throttled); "
              + HINT);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProviderException failure) {
        throw ProviderException.of(failure.kind(), failure.getMessage());
      }
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE,
          "Region not found: the node's " + LABEL + " label could not be read; " + HINT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(
          ErrorKind.CANCELLED, "interrupted while reading the node's region");
    }
  }

  /**
   * The node's region, read by one shared request; a failed read is forgotten, so the next mount
   * tries again.
   */
  private CompletableFuture<String> forNode(String node, long deadline) {
    return byNode.compute(
        node,
        (name, current) ->
            current != null && !current.isCompletedExceptionally()
                ? current
                : CompletableFuture.supplyAsync(() -> nodeRegion(name, deadline), lookups));
  }

  private String podNode(PodIdentity pod, long deadline) {
    Pod found =
        get(
            "get pods",
            deadline,
            c -> c.pods().inNamespace(pod.namespace()).withName(pod.name()).get());
    String node = found == null || found.getSpec() == null ? null : found.getSpec().getNodeName();
    if (node == null || node.isEmpty()) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          "Region not found: pod "
              + pod.namespace()
              + "/"
              + pod.name()
              + " has no node name; "
              + HINT);
    }
    nodeOfPod.put(pod.uid(), node);
    return node;
  }

  private String nodeRegion(String name, long deadline) {
    Node node = get("get nodes", deadline, c -> c.nodes().withName(name).get());
    String region =
        node == null || node.getMetadata().getLabels() == null
            ? null
            : node.getMetadata().getLabels().get(LABEL);
    if (region == null || region.isEmpty()) {
      throw ProviderException.invalidArgument(
          "Region not found: node "
              + name
              + (node == null ? " does not exist" : " has no " + LABEL + " label")
              + "; "
              + HINT);
    }
    return region;
  }

  /** One rate-limited GET through the lookup client; null when the object does not exist. */
  private <T> T get(String action, long deadline, Function<KubernetesClient, T> request) {
    long wait = rate.reserve(deadline - System.nanoTime());
    if (wait < 0) {
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE,
          "Region not found: the client-side Kubernetes rate limit (--aws-kube-qps "
              + BigDecimal.valueOf(settings.qps()).stripTrailingZeros().toPlainString()
              + ", --aws-kube-burst "
              + settings.burst()
              + ") leaves no request within the lookup timeout; "
              + HINT);
    }
    try {
      TimeUnit.NANOSECONDS.sleep(wait);
      return request.apply(client());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(
          ErrorKind.CANCELLED, "interrupted while reading the node's region");
    } catch (KubernetesClientException e) {
      int code = e.getCode();
      if (code == 401 || code == 403) {
        throw ProviderException.of(
            ErrorKind.FAILED_PRECONDITION,
            "Region not found: the provider may not "
                + action
                + " (HTTP "
                + code
                + "); grant get on pods and nodes, or "
                + HINT);
      }
      throw ProviderException.of(
          ErrorKind.UNAVAILABLE,
          "Region not found: could not "
              + action
              + " ("
              + (code > 0 ? "HTTP " + code : "Kubernetes API unreachable")
              + "); "
              + HINT);
    }
  }

  /**
   * The process's client with the lookup's timeout per request, and no retries that would outlast
   * it.
   */
  private synchronized KubernetesClient client() {
    if (client == null) {
      KubernetesClient base = kube.get();
      if (base == null) {
        throw ProviderException.of(
            ErrorKind.FAILED_PRECONDITION,
            "Region not found: no Kubernetes API to read the node's label; " + HINT);
      }
      // A view of the process's client with the lookup's request timeout: same connection pool, no
      // second client.
      int millis = (int) settings.timeout().toMillis();
      client =
          base.newClient(
                  new RequestConfigBuilder()
                      .withRequestTimeout(millis)
                      .withRequestRetryBackoffLimit(0)
                      .build())
              .adapt(KubernetesClient.class);
    }
    return client;
  }

  @Override
  public synchronized void close() {
    // The client is a view of the process's, which the process closes.
    lookups.shutdownNow();
  }
}
