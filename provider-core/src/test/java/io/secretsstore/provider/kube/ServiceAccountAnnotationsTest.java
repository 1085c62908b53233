// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Annotations read by name from the fabric8 mock API server, which counts the GETs: one per
 * distinct service account per TTL, shared by concurrent lookups, no list or watch, and API
 * failures mapped to the codes a mount returns.
 */
class ServiceAccountAnnotationsTest {
  private static final String ROLE = "example.com/role";
  private static final long TIMEOUT_SECONDS = 30;

  private final CountingDispatcher dispatcher = new CountingDispatcher();
  private KubernetesMockServer server;
  private KubernetesClient kube;
  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;

  @BeforeEach
  void start() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    kube = server.createClient();
  }

  @AfterEach
  void stop() {
    kube.close();
    server.destroy();
  }

  @Test
  void oneGetPerServiceAccountPerTtl_andNoListOrWatch() {
    create("team-a", "app", Map.of(ROLE, "arn:one"));
    create("team-a", "other", Map.of(ROLE, "arn:two"));
    try (ServiceAccountAnnotations annotations =
        new ServiceAccountAnnotations(
            SharedKubeClient.of(kube), ROLE, Duration.ofSeconds(30), ticker)) {
      for (int i = 0; i < 5; i++) {
        assertThat(annotations.of("team-a", "app")).contains(Map.of(ROLE, "arn:one"));
        assertThat(annotations.of("team-a", "other")).contains(Map.of(ROLE, "arn:two"));
      }
      assertThat(dispatcher.gets("team-a", "app")).isEqualTo(1);
      assertThat(dispatcher.gets("team-a", "other")).isEqualTo(1);

      // An edit is seen once the TTL has passed, with one more GET.
      kube.serviceAccounts()
          .inNamespace("team-a")
          .withName("app")
          .edit(
              sa ->
                  new ServiceAccountBuilder(sa)
                      .editMetadata()
                      .addToAnnotations(ROLE, "arn:edited")
                      .endMetadata()
                      .build());
      int afterEdit = dispatcher.gets("team-a", "app"); // the edit itself reads the account
      nanos.addAndGet(Duration.ofSeconds(29).toNanos());
      assertThat(annotations.of("team-a", "app")).contains(Map.of(ROLE, "arn:one"));
      nanos.addAndGet(Duration.ofSeconds(2).toNanos());
      assertThat(annotations.of("team-a", "app")).contains(Map.of(ROLE, "arn:edited"));
      assertThat(dispatcher.gets("team-a", "app")).isEqualTo(afterEdit + 1);
    }
    assertThat(dispatcher.collectionRequests)
        .as("no list or watch of service accounts")
        .hasValue(0);
  }

  @Test
  void concurrentLookupsOfOneAccount_shareOneGet() throws Exception {
    create("team-a", "app", Map.of(ROLE, "arn:one"));
    dispatcher.hold = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (ServiceAccountAnnotations annotations =
        new ServiceAccountAnnotations(
            SharedKubeClient.of(kube), ROLE, Duration.ofSeconds(30), ticker)) {
      CountDownLatch submitted = new CountDownLatch(16);
      List<Future<Optional<Map<String, String>>>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(
            pool.submit(
                () -> {
                  submitted.countDown();
                  return annotations.of("team-a", "app");
                }));
      }
      assertThat(submitted.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(dispatcher.firstGet.await(TIMEOUT_SECONDS, TimeUnit.SECONDS))
          .as("the first GET arrived")
          .isTrue();
      // The first GET is held at the server while the other lookups arrive; each lookup that
      // arrived before the release waits for it rather than sending its own.
      dispatcher.hold.countDown();
      for (Future<Optional<Map<String, String>>> result : results) {
        assertThat(result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).contains(Map.of(ROLE, "arn:one"));
      }
      assertThat(dispatcher.gets("team-a", "app")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * "Aa" and "BB" have one hash code, so the two accounts' keys share a bin of the cache's map: a
   * GET run inside the map's compute (a loading cache's loader) held that bin until it ended.
   */
  @Test
  void aHangingGetOfOneAccount_doesNotHoldAnotherAccount() throws Exception {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    create("Aa", "app", Map.of(ROLE, "arn:held"));
    create("BB", "app", Map.of(ROLE, "arn:other"));
    // The mock server answers this account's GET only after a minute (without blocking its
    // other requests); the test ends long before.
    dispatcher.slowPath = "/namespaces/Aa/";
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (ServiceAccountAnnotations annotations =
        new ServiceAccountAnnotations(
            SharedKubeClient.of(kube), ROLE, Duration.ofSeconds(30), ticker)) {
      Future<Optional<Map<String, String>>> held = pool.submit(() -> annotations.of("Aa", "app"));
      assertThat(dispatcher.firstGet.await(TIMEOUT_SECONDS, TimeUnit.SECONDS))
          .as("the first account's GET arrived")
          .isTrue();
      Future<Optional<Map<String, String>>> other = pool.submit(() -> annotations.of("BB", "app"));
      assertThat(other.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).contains(Map.of(ROLE, "arn:other"));
      assertThat(held).isNotDone();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void missingAccount_isEmpty_andRememberedForTheTtl() {
    try (ServiceAccountAnnotations annotations =
        new ServiceAccountAnnotations(
            SharedKubeClient.of(kube), ROLE, Duration.ofSeconds(30), ticker)) {
      assertThat(annotations.of("team-a", "later")).isEmpty();
      assertThat(annotations.of("team-a", "later")).isEmpty();
      assertThat(dispatcher.gets("team-a", "later")).isEqualTo(1);
      create("team-a", "later", Map.of(ROLE, "arn:later"));
      nanos.addAndGet(Duration.ofSeconds(31).toNanos());
      assertThat(annotations.of("team-a", "later")).contains(Map.of(ROLE, "arn:later"));
      // An account without annotations has an empty map, not an absent one.
      create("team-a", "bare", null);
      assertThat(annotations.of("team-a", "bare")).contains(Map.of());
    }
  }

  @Test
  void memoryIsBounded_byTheAccountsLookedUp_notByTheCluster() {
    for (int i = 0; i < 200; i++) {
      create("team-" + (i % 10), "sa-" + i, Map.of(ROLE, "arn:" + i));
    }
    try (ServiceAccountAnnotations annotations =
        new ServiceAccountAnnotations(
            SharedKubeClient.of(kube), ROLE, Duration.ofSeconds(30), ticker)) {
      annotations.of("team-3", "sa-3");
      annotations.of("team-4", "sa-14");
      assertThat(annotations.size()).isEqualTo(2);
      for (int i = 0; i < ServiceAccountAnnotations.MAX_ACCOUNTS + 100; i++) {
        annotations.of("absent", "sa-" + i);
      }
      assertThat(annotations.size()).isLessThanOrEqualTo(ServiceAccountAnnotations.MAX_ACCOUNTS);
    }
  }

  @Test
  void forbidden_isFailedPrecondition_namingTheRbac_andIsNotRemembered() {
    dispatcher.forbidden = true;
    try (ServiceAccountAnnotations annotations =
        new ServiceAccountAnnotations(
            SharedKubeClient.of(kube), ROLE, Duration.ofSeconds(30), ticker)) {
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> annotations.of("team-a", "app"))
            .isInstanceOfSatisfying(
                ProviderException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
                  assertThat(e.getMessage()).contains("RBAC").contains(ROLE);
                });
      }
      assertThat(annotations.size()).isZero();
    }
  }

  @Test
  void unreachableKubernetesApi_isUnavailable_andTheNextLookupTriesAgain() throws IOException {
    try (KubernetesClient unreachable =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + closedPort())
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
        ServiceAccountAnnotations annotations =
            new ServiceAccountAnnotations(SharedKubeClient.of(unreachable), ROLE)) {
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> annotations.of("team-a", "app"))
            .isInstanceOfSatisfying(
                ProviderException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                  assertThat(e.getMessage())
                      .contains("Kubernetes API cannot be reached")
                      .contains(ROLE);
                });
      }
    }
  }

  private void create(String namespace, String name, Map<String, String> annotations) {
    var metadata =
        new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(namespace);
    if (annotations != null) {
      metadata.addToAnnotations(annotations);
    }
    kube.serviceAccounts().inNamespace(namespace).resource(metadata.endMetadata().build()).create();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * The mock API's CRUD behaviour, counting GETs per service account; it can hold GETs (those whose
   * path contains {@code holdOnly}) until released.
   */
  private static final class CountingDispatcher extends KubernetesCrudDispatcher {
    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    final AtomicInteger collectionRequests = new AtomicInteger();
    final CountDownLatch firstGet = new CountDownLatch(1);
    volatile CountDownLatch hold;
    volatile String slowPath;
    volatile boolean forbidden;

    @Override
    public MockResponse handleGet(String path) {
      String plain = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
      if (plain.endsWith("/serviceaccounts")) {
        collectionRequests.incrementAndGet();
      } else if (plain.contains("/serviceaccounts/")) {
        gets.computeIfAbsent(plain, p -> new AtomicInteger()).incrementAndGet();
        if (forbidden) {
          return new MockResponse()
              .setResponseCode(403)
              .setBody("{\"kind\":\"Status\",\"code\":403}");
        }
        firstGet.countDown();
        String slow = slowPath;
        if (slow != null && plain.contains(slow)) {
          return super.handleGet(path).setBodyDelay(Duration.ofSeconds(2 * TIMEOUT_SECONDS));
        }
        CountDownLatch gate = hold;
        if (gate != null) {
          try {
            gate.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      return super.handleGet(path);
    }

    @Override
    public MockResponse handleWatch(String path) {
      collectionRequests.incrementAndGet();
      return super.handleWatch(path);
    }

    int gets(String namespace, String name) {
      AtomicInteger count =
          gets.get("/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name);
      return count == null ? 0 : count.get();
    }
  }
}
