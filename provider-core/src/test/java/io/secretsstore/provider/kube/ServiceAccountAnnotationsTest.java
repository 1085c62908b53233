// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** An unreachable Kubernetes API fails a mount as UNAVAILABLE (retried by the next mount), not as a bug. */
class ServiceAccountAnnotationsTest {
  @Test
  void unreachableKubernetesApi_isUnavailable_andTheNextLookupTriesAgain() throws IOException {
    try (KubernetesClient kube = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:" + closedPort()).withRequestRetryBackoffLimit(0).build()).build();
        ServiceAccountAnnotations annotations = new ServiceAccountAnnotations(() -> kube, "example.com/role")) {
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> annotations.of("team-a", "app"))
            .isInstanceOfSatisfying(ProviderException.class, e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
              assertThat(e.getMessage()).contains("Kubernetes API cannot be reached").contains("example.com/role");
            });
      }
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
