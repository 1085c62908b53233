// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The process's one Kubernetes client against fabric8's mock API server: created once, on first
 * use, closed once.
 */
class SharedKubeClientIT {
  private KubernetesMockServer server;

  @BeforeEach
  void startServer() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
  }

  @AfterEach
  void stopServer() {
    server.destroy();
  }

  @Test
  void manyThreadsAtOnce_getOneClient_builtOnFirstUse() throws Exception {
    AtomicInteger built = new AtomicInteger();
    try (SharedKubeClient shared =
        SharedKubeClient.lazy(
            () -> {
              built.incrementAndGet();
              return server.createClient();
            })) {
      assertThat(built).as("nothing is built before it is asked for").hasValue(0);
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<KubernetesClient>> asks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        asks.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return shared.get();
                }));
      }
      go.countDown();
      KubernetesClient first = asks.get(0).get(30, TimeUnit.SECONDS);
      for (CompletableFuture<KubernetesClient> ask : asks) {
        assertThat(ask.get(30, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(built).hasValue(1);
      assertThat(shared.created()).isEqualTo(1);
      first
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName("ns").endMetadata().build())
          .create();
      assertThat(first.namespaces().withName("ns").get()).isNotNull();
    }
  }

  @Test
  void anAdoptedClient_isLeftOpenForItsOwner_andTheSharedOneRefusesUseAfterClose() {
    try (KubernetesClient owned = server.createClient()) {
      SharedKubeClient shared = SharedKubeClient.of(owned);
      assertThat(shared.get()).isSameAs(owned);
      shared.close();
      assertThatThrownBy(shared::get)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      owned
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("still-open").endMetadata().build())
          .create();
      assertThat(owned.namespaces().withName("still-open").get()).isNotNull();
    }
  }

  @Test
  void none_hasNoClient_andCountsNone() {
    try (SharedKubeClient none = SharedKubeClient.none()) {
      assertThat(none.available()).isFalse();
      assertThatThrownBy(none::get)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no Kubernetes cluster");
      assertThat(none.created()).isZero();
    }
  }
}
