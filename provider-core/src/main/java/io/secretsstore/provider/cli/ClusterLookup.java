// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Finds the Kubernetes cluster as the client library would (a kubeconfig from {@code KUBECONFIG} or
 * {@code ~/.kube/config}, else the pod's service account), and checks within a few seconds that its
 * API answers, so a command that needs a cluster fails at once with one line saying how it looked,
 * instead of retrying for 20 seconds into a stack trace.
 */
final class ClusterLookup {
  private static final int TIMEOUT_MILLIS = 3_000;

  private ClusterLookup() {}

  /**
   * Where the cluster's address comes from, or an error saying where it looked.
   *
   * @param env the process environment
   * @param home the user's home directory
   */
  static String source(Map<String, String> env, Path home) {
    if (System.getProperty("kubernetes.master") != null || env.get("KUBERNETES_MASTER") != null) {
      return "the kubernetes.master setting (KUBERNETES_MASTER)";
    }
    String kubeconfig = env.get("KUBECONFIG");
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      return "kubeconfig " + kubeconfig + " (KUBECONFIG)";
    }
    Path defaultConfig = home.resolve(".kube").resolve("config");
    if (Files.isRegularFile(defaultConfig)) {
      return "kubeconfig " + defaultConfig;
    }
    if (env.get("KUBERNETES_SERVICE_HOST") != null) {
      return "the pod's service account (KUBERNETES_SERVICE_HOST)";
    }
    throw new IllegalArgumentException(
        "no Kubernetes cluster: KUBECONFIG is not set, "
            + defaultConfig
            + " does not exist, and KUBERNETES_SERVICE_HOST is not set (not running in a pod)");
  }

  /**
   * Fails with one line unless a cluster is configured and its API server answers, asking through
   * the process's client (created here when it is the first to need it) with a short timeout and no
   * retries.
   */
  static void requireReachable(Supplier<KubernetesClient> kube) {
    String source = source(System.getenv(), Path.of(System.getProperty("user.home")));
    KubernetesClient shared = kube.get();
    // A view with its own request settings over the shared connection pool: closing it would close
    // the pool.
    KubernetesClient client =
        shared
            .newClient(
                new RequestConfigBuilder()
                    .withRequestTimeout(TIMEOUT_MILLIS)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .adapt(KubernetesClient.class);
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      if (e.getCode() > 0) {
        return; // The API server answered (perhaps 401/403 for /version): it is there.
      }
      throw new IllegalArgumentException(
          "cannot reach the Kubernetes API server at "
              + shared.getConfiguration().getMasterUrl()
              + " (found through "
              + source
              + ")");
    }
  }
}
