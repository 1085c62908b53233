// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The Kubernetes client the provider uses: in-cluster service-account credentials (or a kubeconfig
 * outside a cluster), short timeouts, and a cap on concurrent requests so a burst of mounts cannot
 * flood the API server (a known failure of upstream providers).
 */
public final class KubeClients {
  private static final int MAX_CONCURRENT_REQUESTS = 8;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int REQUEST_TIMEOUT_MILLIS = 10_000;

  private KubeClients() {}

  /** A client configured from the environment (in-cluster or kubeconfig). */
  public static KubernetesClient fromEnvironment() {
    Config config =
        new ConfigBuilder(Config.autoConfigure(null))
            .withMaxConcurrentRequests(MAX_CONCURRENT_REQUESTS)
            .withConnectionTimeout(CONNECT_TIMEOUT_MILLIS)
            .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
