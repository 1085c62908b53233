// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.FetchedObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointGuardTest {
  private static final IdentityKey ALICE = IdentityKey.of("test", "namespace", "alice");
  private static final IdentityKey BOB = IdentityKey.of("test", "namespace", "bob");
  private static final FetchedObject OK = new FetchedObject(List.of(), List.of());
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger calls = new AtomicInteger();
  private final RecordingEvents events = new RecordingEvents();
  private final FetchScheduler scheduler = new FetchScheduler("guard-test", 4, 4, 100);
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  private EndpointGuard guard(int attempts) {
    return new EndpointGuard(
        "test",
        "endpoint",
        new ResilienceSettings(
            4, attempts, Duration.ofMillis(1), Duration.ofMillis(1), 2, Duration.ofSeconds(30)),
        scheduler,
        timers,
        events,
        now::get);
  }

  private final EndpointGuard guard = guard(1);

  @AfterEach
  void stop() {
    scheduler.close();
    timers.shutdownNow();
  }

  private EndpointGuard.Call failing(RuntimeException e) {
    return () -> {
      calls.incrementAndGet();
      throw e;
    };
  }

  /** The guard's outcome, waited for; a failure is thrown as itself. */
  private static FetchedObject await(
      EndpointGuard guard, IdentityKey identity, EndpointGuard.Call call, long deadline)
      throws Throwable {
    try {
      return guard.call(identity, call, deadline).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  private FetchedObject await(IdentityKey identity, EndpointGuard.Call call) throws Throwable {
    return await(guard, identity, call, deadline());
  }

  private long deadline() {
    return now.get() + Duration.ofMinutes(1).toNanos();
  }

  @Test
  void openCircuit_failsFastWithTheKindThatOpenedIt_thenLetsOneTrialThrough() throws Throwable {
    ProviderException down = ProviderException.of(ErrorKind.UNAVAILABLE, "connection refused");
    for (IdentityKey identity : List.of(ALICE, BOB)) {
      assertThatThrownBy(() -> await(identity, failing(down))).isSameAs(down);
    }
    assertThat(events.circuits.get()).isEqualTo(1);
    assertThatThrownBy(() -> await(ALICE, () -> OK))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
        .hasMessageContaining("paused");
    assertThat(calls.get()).isEqualTo(2);

    now.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThat(await(ALICE, () -> OK)).isSameAs(OK);
    assertThat(await(BOB, () -> OK)).as("closed again after a good trial").isSameAs(OK);
  }

  @Test
  void oneIdentitysTransientFailures_sayNothingAboutTheEndpointForOthers_andNeverOpenTheCircuit()
      throws Throwable {
    ProviderException serverError = ProviderException.of(ErrorKind.UNAVAILABLE, "503");
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> await(ALICE, failing(serverError))).isSameAs(serverError);
    }
    assertThat(events.circuits.get()).isZero();
    assertThat(await(BOB, () -> OK)).isSameAs(OK);
  }

  @Test
  void throttling_isPacedByBackoff_andNeverOpensTheCircuit() throws Throwable {
    EndpointGuard retrying = guard(2);
    ProviderException throttled = ProviderException.throttled("429", Duration.ZERO);
    for (IdentityKey identity : List.of(ALICE, BOB, ALICE, BOB)) {
      assertThatThrownBy(() -> await(retrying, identity, failing(throttled), deadline()))
          .isInstanceOfSatisfying(
              ProviderException.class, e -> assertThat(e.isThrottled()).isTrue());
    }
    assertThat(calls.get()).as("two attempts each").isEqualTo(8);
    assertThat(events.circuits.get()).isZero();
    assertThat(await(retrying, BOB, () -> OK, deadline())).isSameAs(OK);
  }

  @Test
  void aTrialThatDiesOfABug_doesNotKeepTheCircuitShut() throws Throwable {
    ProviderException down = ProviderException.of(ErrorKind.UNAVAILABLE, "connection refused");
    for (IdentityKey identity : List.of(ALICE, BOB)) {
      assertThatThrownBy(() -> await(identity, failing(down))).isSameAs(down);
    }
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThatThrownBy(() -> await(ALICE, failing(new IllegalStateException("bug"))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(await(ALICE, () -> OK)).isSameAs(OK);
  }

  /**
   * The trial's end is recorded before its result is published: a caller reacting to the result
   * (here, synchronously, on the thread that completes it) already finds the circuit admitting.
   * With the order reversed, a loaded run saw the next call refused as "paused".
   */
  @Test
  void aTrialsResult_isPublishedAfterTheTrialEnds() throws Throwable {
    ProviderException down = ProviderException.of(ErrorKind.UNAVAILABLE, "connection refused");
    for (IdentityKey identity : List.of(ALICE, BOB)) {
      assertThatThrownBy(() -> await(identity, failing(down))).isSameAs(down);
    }
    assertThat(guard.admitsCallsNow()).as("open").isFalse();
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    CountDownLatch callbackAttached = new CountDownLatch(1);
    CompletableFuture<FetchedObject> trial =
        guard.call(
            ALICE,
            () -> {
              callbackAttached.await();
              throw new IllegalStateException("bug");
            },
            deadline());
    CompletableFuture<Boolean> admittingWhenSeen = trial.handle((v, e) -> guard.admitsCallsNow());
    callbackAttached.countDown();
    assertThat(admittingWhenSeen.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void notFoundOrDenied_sayNothingAboutTheEndpoint_andNeverOpenTheCircuit() throws Throwable {
    for (IdentityKey identity : List.of(ALICE, BOB, ALICE, BOB, ALICE)) {
      ProviderException denied = ProviderException.of(ErrorKind.PERMISSION_DENIED, "denied");
      assertThatThrownBy(() -> await(identity, failing(denied))).isSameAs(denied);
    }
    assertThat(events.circuits.get()).isZero();
    assertThat(await(ALICE, () -> OK)).isSameAs(OK);
  }
}
