// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FetchSchedulerTest {
  private static final IdentityKey SLOW = IdentityKey.of("test", "namespace", "slow");
  private static final IdentityKey OTHER = IdentityKey.of("test", "namespace", "other");

  /** 8 threads, 8 per endpoint: each identity's share is 6 alone, 4 while another waits. */
  private final FetchScheduler scheduler = new FetchScheduler("scheduler-test", 8, 8, 300);

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger running = new AtomicInteger();

  @AfterEach
  void stop() {
    release.countDown();
    scheduler.close();
  }

  private Runnable blocking() {
    return () -> {
      running.incrementAndGet();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void anIdentityWithHangingCalls_holdsOnlyItsShare_andAnotherIdentityRunsAtOnce()
      throws Exception {
    // Alone, the slow identity takes all but a quarter of the 8: 6 (never all of them).
    assertThat(scheduler.perIdentityAlone()).isEqualTo(6);
    for (int i = 0; i < 256; i++) {
      scheduler.submit(SLOW, "endpoint", () -> false, blocking());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(running.get()).as("the slow identity's running calls").isEqualTo(6));
    CountDownLatch otherRan = new CountDownLatch(1);
    scheduler.submit(OTHER, "endpoint", () -> false, otherRan::countDown);
    assertThat(otherRan.await(30, TimeUnit.SECONDS)).as("the other identity's call ran").isTrue();
    assertThat(running.get()).as("the slow identity's running calls").isEqualTo(6);
    assertThat(scheduler.waiting()).isEqualTo(250);
  }

  @Test
  void whileAnotherIdentityWaits_eachIsStartedOnlyUpToHalf() throws Exception {
    assertThat(scheduler.perIdentity()).isEqualTo(4);
    CountDownLatch slowRelease = new CountDownLatch(1);
    AtomicInteger slowRunning = new AtomicInteger();
    AtomicInteger otherRunning = new AtomicInteger();
    for (int i = 0; i < 20; i++) {
      scheduler.submit(
          SLOW,
          "endpoint",
          () -> false,
          () -> {
            // The first 6 wait for the latch; those started after it opened hang like the other's.
            if (slowRelease.getCount() > 0) {
              awaitQuietly(slowRelease);
            } else {
              slowRunning.incrementAndGet();
              awaitQuietly(release);
            }
          });
    }
    for (int i = 0; i < 20; i++) {
      scheduler.submit(
          OTHER,
          "endpoint",
          () -> false,
          () -> {
            otherRunning.incrementAndGet();
            awaitQuietly(release);
          });
    }
    // The endpoint's 8: 6 of the slow identity (alone when it came), 2 of the other.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(otherRunning.get()).isEqualTo(2));
    slowRelease.countDown();
    // Both wait now, so neither is started beyond 4: the other gets 2 more, the slow one 4.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(otherRunning.get()).as("the other identity's running calls").isEqualTo(4);
              assertThat(slowRunning.get()).as("the slow identity's running calls").isEqualTo(4);
            });
    assertThat(scheduler.waiting()).isEqualTo(20 - 6 - 4 + 20 - 4);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anEndpointsLimit_holdsAcrossIdentities_andCallsOfAnotherEndpointStillRun() throws Exception {
    FetchScheduler narrow = new FetchScheduler("scheduler-test", 8, 2, 300);
    try {
      for (int i = 0; i < 4; i++) {
        narrow.submit(IdentityKey.of("test", "n", "id" + i), "busy", () -> false, blocking());
      }
      CountDownLatch elsewhere = new CountDownLatch(1);
      narrow.submit(SLOW, "quiet", () -> false, elsewhere::countDown);
      assertThat(elsewhere.await(30, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(running.get()).isEqualTo(2));
      assertThat(narrow.waiting()).isEqualTo(2);
    } finally {
      release.countDown();
      narrow.close();
    }
  }

  @Test
  void abandonedCalls_areDroppedWithoutRunning() throws Exception {
    for (int i = 0; i < 6; i++) {
      scheduler.submit(SLOW, "endpoint", () -> false, blocking());
    }
    AtomicInteger abandonedRan = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      scheduler.submit(SLOW, "endpoint", () -> true, abandonedRan::incrementAndGet);
    }
    CountDownLatch last = new CountDownLatch(1);
    scheduler.submit(SLOW, "endpoint", () -> false, last::countDown);
    release.countDown();
    assertThat(last.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(abandonedRan.get()).isZero();
  }

  @Test
  void afterClose_runningCallsEndWithoutStartingWaitingOnes_andNewCallsAreRefused()
      throws Exception {
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 6; i++) {
      scheduler.submit(SLOW, "endpoint", () -> false, blocking());
    }
    for (int i = 0; i < 10; i++) {
      scheduler.submit(SLOW, "endpoint", () -> false, ran::incrementAndGet);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(running.get()).isEqualTo(6));
    // Close interrupts the 6 running calls; as each ends, nothing more is started (the pool
    // would refuse it, on the finishing call's thread).
    scheduler.close();
    assertThat(scheduler.waiting()).isZero();
    assertThat(ran.get()).isZero();
    assertThatThrownBy(() -> scheduler.submit(OTHER, "endpoint", () -> false, () -> {}))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
  }

  @Test
  void pastTheWaitingBound_aCallIsRefusedAsResourceExhausted() {
    for (int i = 0; i < 300 + 6; i++) {
      scheduler.submit(SLOW, "endpoint", () -> false, blocking());
    }
    assertThatThrownBy(() -> scheduler.submit(OTHER, "endpoint", () -> false, () -> {}))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED));
  }
}
