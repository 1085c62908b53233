// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.testing.Attributes;
import io.secretsstore.provider.testing.FakeTime;
import io.secretsstore.provider.testing.TestBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine at scale: identity-keyed cache, single-flight, rotation polling, throttling and the
 * circuit breaker, with a fake clock so poll intervals pass instantly and deterministically.
 */
class MountEngineScaleTest {
  private static final Duration INTERVAL = Duration.ofMinutes(2);
  private static final Duration JITTER = Duration.ofSeconds(15);
  private static final CacheSettings CACHE =
      new CacheSettings(
          INTERVAL, JITTER, Duration.ofMinutes(5), Duration.ofMinutes(10), 64L << 20, 10_000);

  private final FakeTime time = new FakeTime();
  private final TestBackend backend = new TestBackend(time);
  private final RecordingEvents events = new RecordingEvents();
  private final ExecutorService pods = Executors.newFixedThreadPool(16);
  private MountEngine engine = engine(ResilienceSettings.DEFAULT);

  private MountEngine engine(ResilienceSettings resilience) {
    return new MountEngine(
        backend,
        new EngineSettings(MountLimits.DEFAULT, CACHE, resilience, 16),
        events,
        time,
        time,
        false);
  }

  @AfterEach
  void close() {
    engine.close();
    pods.shutdownNow();
  }

  private static String objects(int count, String extra) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"name\":\"secret-")
          .append(i)
          .append("\"")
          .append(extra)
          .append("}");
    }
    return json.append("]").toString();
  }

  private static MountRequestContext pod(
      String serviceAccount, int podIndex, String objects, String... extra) {
    Attributes attributes =
        Attributes.forPod()
            .with("csi.storage.k8s.io/serviceAccount.name", serviceAccount)
            .with("csi.storage.k8s.io/pod.name", "pod-" + podIndex)
            .with("objects", objects);
    for (int i = 0; i < extra.length; i += 2) {
      attributes.with(extra[i], extra[i + 1]);
    }
    return MountRequestContext.parse(attributes.json(), "null", "/t", "420", List.of());
  }

  private void storeSecrets(int count) {
    for (int i = 0; i < count; i++) {
      backend.put("secret-" + i, "value-" + i);
    }
  }

  private String content(MountResult result, int file) {
    return new String(result.files().get(file).contents(), StandardCharsets.UTF_8);
  }

  /** Runs every pod's mount concurrently, as a node full of pods republishing at once. */
  private void republishAll(List<MountRequestContext> requests) {
    List<CompletableFuture<MountResult>> mounts = new ArrayList<>();
    for (MountRequestContext request : requests) {
      mounts.add(CompletableFuture.supplyAsync(() -> engine.mount(request, null), pods));
    }
    mounts.forEach(m -> assertThat(m.join().files()).hasSize(10));
  }

  private void passOneInterval() {
    time.advance(INTERVAL.plus(JITTER));
    engine.refreshDue();
  }

  @Test
  void storm_110PodsOf5Identities_readEachObjectOncePerInterval() {
    storeSecrets(10);
    String objects = objects(10, "");
    List<MountRequestContext> requests = new ArrayList<>();
    for (int p = 0; p < 110; p++) {
      requests.add(pod("identity-" + (p % 5), p, objects));
    }
    List<Integer> readsPerInterval = new ArrayList<>();
    for (int interval = 0; interval < 5; interval++) {
      int before = backend.fetches();
      if (interval > 0) {
        passOneInterval();
        // Settled, not only started: a refresh still running when the next interval steps the
        // clock would be dated in that interval and not be due in its poll.
        await().until(() -> backend.fetches() - before >= 50 && engine.refreshesInFlight() == 0);
      }
      republishAll(requests);
      readsPerInterval.add(backend.fetches() - before);
    }
    // 5 identities x 10 objects = 50 distinct pairs; upstream providers would read 1100 per
    // interval.
    assertThat(readsPerInterval).allSatisfy(reads -> assertThat(reads).isEqualTo(50));
    assertThat(events.hits.get() + events.joins.get()).isEqualTo(5 * 1100 - 50);
  }

  @Test
  void isolation_aDeniedIdentityNeverGetsTheAllowedIdentitysCachedValue() {
    storeSecrets(1);
    String objects = objects(1, "");
    MountResult allowed = engine.mount(pod("allowed", 1, objects, "deny", "denied"), null);
    assertThat(content(allowed, 0)).isEqualTo("value-0");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> engine.mount(pod("denied", 2, objects, "deny", "denied"), null))
          .isInstanceOfSatisfying(
              ProviderException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
    }
    // The denied identity asked the backend every time: nothing cached for it, nothing shared.
    assertThat(backend.fetches()).isEqualTo(4);
  }

  @Test
  void rotation_appearsInTheNextMountAfterOnePollInterval_andIsCounted() {
    backend.put("secret-0", "v1");
    MountRequestContext request = pod("app", 1, objects(1, ""));
    assertThat(content(engine.mount(request, null), 0)).isEqualTo("v1");
    backend.put("secret-0", "v2");
    // Within the interval the cached value is served without a backend call.
    assertThat(content(engine.mount(request, null), 0)).isEqualTo("v1");
    assertThat(backend.fetches()).isEqualTo(1);

    passOneInterval();
    await().until(() -> events.rotations.get() == 1);
    MountResult rotated = engine.mount(request, null);
    assertThat(content(rotated, 0)).isEqualTo("v2");
    assertThat(rotated.versions().get(0).version()).isEqualTo("v2");
    assertThat(backend.fetches()).isEqualTo(2);
  }

  @Test
  void refresh_withoutChange_countsNoRotation() {
    backend.put("secret-0", "same");
    MountRequestContext request = pod("app", 1, objects(1, ""));
    engine.mount(request, null);
    passOneInterval();
    await().until(() -> backend.fetches() == 2);
    engine.mount(request, null);
    assertThat(events.rotations.get()).isZero();
  }

  @Test
  void failedRefresh_isRetriedAfterABackOff_notOnEveryPollerTick() {
    storeSecrets(1);
    MountRequestContext request = pod("app", 1, objects(1, ""));
    engine.mount(request, null);
    backend.failAll(ProviderException.of(ErrorKind.UNAVAILABLE, "the test store is down"));
    passOneInterval();
    int attempts = ResilienceSettings.DEFAULT.maxAttempts();
    await().untilAsserted(() -> assertThat(backend.fetches()).isEqualTo(1 + attempts));
    // The back-off counts from when the failed refresh settles, which follows its last call.
    await().until(() -> engine.refreshesInFlight() == 0);

    // The poller ticks every quarter interval; ticks within the back-off call nothing.
    time.advance(INTERVAL.dividedBy(8));
    assertThat(engine.refreshDue()).isZero();
    time.advance(INTERVAL.dividedBy(8));
    assertThat(engine.refreshDue()).isOne();
    await().until(() -> backend.fetches() > 1 + attempts);
    // The old value is still served meanwhile: it is within its freshness.
    assertThat(content(engine.mount(request, null), 0)).isEqualTo("value-0");
  }

  @Test
  void throttledRefresh_waitsForTheBackendsRetryAfter() {
    storeSecrets(1);
    MountRequestContext request = pod("app", 1, objects(1, ""));
    engine.mount(request, null);
    // Longer than the mount timeout, so the one attempt is not retried within the refresh.
    Duration retryAfter = MountLimits.DEFAULT.mountTimeout().plusSeconds(10);
    backend.failAll(ProviderException.throttled("429 from the test store", retryAfter));
    passOneInterval();
    await().untilAsserted(() -> assertThat(backend.fetches()).isEqualTo(2));
    await().until(() -> engine.refreshesInFlight() == 0);

    time.advance(retryAfter.minusSeconds(1));
    assertThat(engine.refreshDue()).isZero();
    time.advance(Duration.ofSeconds(1));
    assertThat(engine.refreshDue()).isOne();
  }

  @Test
  void updatedPollInterval_appliesToEntriesAlreadyCached() {
    backend.put("secret-0", "v1");
    MountRequestContext request = pod("app", 1, objects(1, ""));
    engine.mount(request, null);
    engine.updateCacheSettings(
        new CacheSettings(
            Duration.ofSeconds(30),
            Duration.ZERO,
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            64L << 20,
            10_000));
    time.advance(Duration.ofSeconds(31));
    assertThat(engine.refreshDue()).isEqualTo(1);
    await().until(() -> backend.fetches() == 2);
  }

  @Test
  void shortenedFreshness_isHonouredForEntriesAlreadyCached() {
    backend.put("secret-0", "v1");
    MountRequestContext request = pod("app", 1, objects(1, ""));
    engine.mount(request, null);
    backend.put("secret-0", "v2");
    engine.updateCacheSettings(
        new CacheSettings(
            Duration.ofSeconds(30),
            Duration.ZERO,
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            64L << 20,
            10_000));
    time.advance(Duration.ofSeconds(61));
    assertThat(content(engine.mount(request, null), 0)).isEqualTo("v2");
  }

  @Test
  void aDenialOrNotFound_onRefresh_dropsTheCachedValueAtOnce() {
    storeSecrets(2);
    MountRequestContext request = pod("app", 1, objects(2, ""));
    engine.mount(request, null);
    for (ErrorKind revocation : List.of(ErrorKind.PERMISSION_DENIED, ErrorKind.NOT_FOUND)) {
      backend.failAll(ProviderException.of(revocation, "revoked"));
      passOneInterval();
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.refreshesInFlight() == 0);
      int before = backend.fetches();
      // Well inside the freshness window, yet the mount goes to the backend and is refused.
      assertThatThrownBy(() -> engine.mount(pod("app", 2, objects(2, "")), null))
          .isInstanceOfSatisfying(
              ProviderException.class, e -> assertThat(e.kind()).isEqualTo(revocation));
      assertThat(backend.fetches()).as("both objects fetched again").isEqualTo(before + 2);
      backend.failAll(null);
      assertThat(content(engine.mount(request, null), 0)).isEqualTo("value-0");
    }
  }

  @Test
  void aTransientFailure_onRefresh_keepsServingTheCachedValue() {
    storeSecrets(1);
    MountRequestContext request = pod("app", 1, objects(1, ""));
    engine.mount(request, null);
    backend.failAll(ProviderException.of(ErrorKind.UNAVAILABLE, "down"));
    passOneInterval();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.refreshesInFlight() == 0);
    assertThat(content(engine.mount(request, null), 0)).isEqualTo("value-0");
  }

  @Test
  void updatedResilience_appliesToTheNextCalls() {
    storeSecrets(1);
    MountRequestContext request = pod("app", 1, objects(1, ""));
    MountRequestContext other = pod("other", 2, objects(1, ""));
    engine.updateResilience(
        new ResilienceSettings(
            8, 1, Duration.ofMillis(1), Duration.ofMillis(1), 1, Duration.ofMinutes(5)));
    backend.failAll(ProviderException.of(ErrorKind.UNAVAILABLE, "connection refused"));
    assertThatThrownBy(() -> engine.mount(request, null)).isInstanceOf(ProviderException.class);
    assertThatThrownBy(() -> engine.mount(other, null)).isInstanceOf(ProviderException.class);
    assertThatThrownBy(() -> engine.mount(request, null)).hasMessageContaining("paused");
    assertThat(backend.fetches())
        .as("one attempt per identity, then the one-failure circuit is open")
        .isEqualTo(2);
  }

  @Test
  void idle_entriesAreDroppedAndNotRefreshed() {
    storeSecrets(1);
    engine.mount(pod("app", 1, objects(1, "")), null);
    time.advance(Duration.ofMinutes(11));
    assertThat(engine.refreshDue()).isZero();
    assertThat(engine.cachedObjects()).isZero();
    assertThat(backend.fetches()).isEqualTo(1);
  }

  @Test
  void freshness_aStaleEntryIsNeverServed() {
    backend.put("secret-0", "v1");
    MountRequestContext request = pod("app", 1, objects(1, ""));
    engine.mount(request, null);
    backend.put("secret-0", "v2");
    // No poller ran (as if refreshes kept failing): past freshness the mount must fetch again.
    time.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertThat(content(engine.mount(request, null), 0)).isEqualTo("v2");
  }

  @Test
  void stableObjects_areNotRefetchedWhileValid() {
    backend.put("secret-0", "db-credential-1");
    MountRequestContext request = pod("app", 1, objects(1, ",\"stableSeconds\":3600"));
    for (int poll = 0; poll < 20; poll++) {
      assertThat(content(engine.mount(request, null), 0)).isEqualTo("db-credential-1");
      passOneInterval();
    }
    // 20 polls x 2m15s = 45 minutes: still within the hour, so one backend call only.
    assertThat(backend.fetches()).isEqualTo(1);
  }

  @Test
  void singleFlight_concurrentMountsOfOneObjectShareOneBackendCall() {
    MountRequestContext request =
        pod("app", 1, "[{\"name\":\"slow\",\"content\":\"x\",\"delayMs\":300}]");
    List<CompletableFuture<MountResult>> mounts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      mounts.add(CompletableFuture.supplyAsync(() -> engine.mount(request, null), pods));
    }
    mounts.forEach(CompletableFuture::join);
    assertThat(backend.fetches()).isEqualTo(1);
    assertThat(events.misses.get()).isEqualTo(1);
    assertThat(events.joins.get() + events.hits.get()).isEqualTo(49);
  }

  @Test
  void throttling_retriesWithinBudget_failsResourceExhausted_andTheNextIntervalRecovers() {
    storeSecrets(1);
    MountRequestContext request = pod("app", 1, objects(1, ""));
    backend.failAll(ProviderException.throttled("429 from the test store", Duration.ofMillis(50)));
    assertThatThrownBy(() -> engine.mount(request, null))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED);
              assertThat(e.getMessage()).contains("throttling");
            });
    assertThat(backend.fetches()).isEqualTo(ResilienceSettings.DEFAULT.maxAttempts());
    assertThat(events.throttled.get()).isEqualTo(3);

    backend.failAll(null);
    passOneInterval();
    assertThat(content(engine.mount(request, null), 0)).isEqualTo("value-0");
  }

  @Test
  void circuit_stopsCallingAFailingEndpoint_thenRecoversOnItsOwn() {
    engine.close();
    engine =
        engine(
            new ResilienceSettings(
                8, 1, Duration.ofMillis(10), Duration.ofMillis(10), 3, Duration.ofMillis(300)));
    storeSecrets(1);
    MountRequestContext request = pod("app", 1, objects(1, ""));
    // The circuit opens on failures of several identities (one tenant's own failures say nothing
    // about the endpoint).
    MountRequestContext other = pod("other", 2, objects(1, ""));
    backend.failAll(ProviderException.of(ErrorKind.UNAVAILABLE, "connection refused"));
    Consumer<Throwable> unavailable =
        e -> assertThat(((ProviderException) e).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    for (int i = 0; i < 6; i++) {
      MountRequestContext next = i % 2 == 0 ? request : other;
      assertThatThrownBy(() -> engine.mount(next, null)).satisfies(unavailable);
    }
    assertThat(backend.fetches()).as("calls stop once the circuit opens").isEqualTo(3);
    assertThat(events.circuits.get()).isEqualTo(1);

    backend.failAll(null);
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptionsInstanceOf(ProviderException.class)
        .untilAsserted(
            () -> assertThat(content(engine.mount(request, null), 0)).isEqualTo("value-0"));
    assertThat(backend.fetches()).isEqualTo(4);
  }
}
