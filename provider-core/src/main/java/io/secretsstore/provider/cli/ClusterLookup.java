// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the Kubernetes cluster as the client library would (a kubeconfig from {@code KUBECONFIG}
 * or {@code ~/.kube/config}, else the pod's service account), and checks within a few seconds
 * that its API answers, so a command that needs a cluster fails at once with one line saying how
 * it looked, instead of retrying for 20 seconds into a stack trace.
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
    throw new IllegalArgumentException("no Kubernetes cluster: KUBECONFIG is not set, " + defaultConfig
        + " does not exist, and KUBERNETES_SERVICE_HOST is not set (not running in a pod)");
  }

  /** Fails with one line unless a cluster is configured and its API server answers. */
  static void requireReachable() {
    String source = source(System.getenv(), Path.of(System.getProperty("user.home")));
    Config config = new ConfigBuilder(Config.autoConfigure(null))
        .withConnectionTimeout(TIMEOUT_MILLIS)
        .withRequestTimeout(TIMEOUT_MILLIS)
        .withRequestRetryBackoffLimit(0)
        .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      if (e.getCode() > 0) {
        return; // The API server answered (perhaps 401/403 for /version): it is there.
      }
      throw new IllegalArgumentException("cannot reach the Kubernetes API server at " + config.getMasterUrl()
          + " (found through " + source + ")");
    }
  }
}
