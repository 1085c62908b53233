// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
  private static final long TIMEOUT_SECONDS = 30;
  private final SingleFlight<String, String> flight = new SingleFlight<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void stop() {
    release.countDown();
    pool.shutdownNow();
  }

  /** A call that counts itself, says it started, and ends when released with {@code result}. */
  private String held(String result) {
    calls.incrementAndGet();
    started.countDown();
    try {
      release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (result == null) {
      throw new IllegalStateException("refused");
    }
    return result;
  }

  /**
   * A thread calling {@code run(key)} whose own call would answer "not shared"; it records its
   * result or its failure in {@code outcomes}.
   */
  private Thread waiter(String key, List<Object> outcomes) {
    Thread waiter =
        new Thread(
            () -> {
              try {
                outcomes.add(flight.run(key, () -> held("not shared")));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                outcomes.add(e);
              }
            });
    waiter.start();
    return waiter;
  }

  /** Until every waiter is parked on the shared call, so none can start a call of its own. */
  private static void awaitParked(List<Thread> waiters) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!waiters.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
      assertThat(System.nanoTime()).as("the waiters park").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static void join(List<Thread> waiters) throws InterruptedException {
    for (Thread waiter : waiters) {
      waiter.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    }
  }

  @Test
  void callersOfOneKey_shareOneCall_andTheNextRunIsANewCall() throws Exception {
    Future<String> first = pool.submit(() -> flight.run("k", () -> held("one")));
    assertThat(started.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    List<Object> outcomes = Collections.synchronizedList(new ArrayList<>());
    List<Thread> waiters =
        List.of(waiter("k", outcomes), waiter("k", outcomes), waiter("k", outcomes));
    awaitParked(waiters);
    release.countDown();
    assertThat(first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("one");
    join(waiters);
    assertThat(outcomes).containsExactly("one", "one", "one");
    assertThat(calls).hasValue(1);
    assertThat(flight.running()).isZero();
    assertThat(flight.run("k", () -> "two")).isEqualTo("two");
  }

  @Test
  void aCallOfAnotherKey_runsWhileTheFirstIsHeld() throws Exception {
    Future<String> held = pool.submit(() -> flight.run("a", () -> held("a")));
    assertThat(started.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(flight.run("b", () -> "b")).isEqualTo("b");
    assertThat(held).isNotDone();
    release.countDown();
    assertThat(held.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("a");
  }

  @Test
  void aFailure_reachesEveryWaiter_andIsNotKept() throws Exception {
    Future<String> first = pool.submit(() -> flight.run("k", () -> held(null)));
    assertThat(started.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    List<Object> outcomes = Collections.synchronizedList(new ArrayList<>());
    List<Thread> waiters = List.of(waiter("k", outcomes), waiter("k", outcomes));
    awaitParked(waiters);
    release.countDown();
    assertThatThrownBy(() -> first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    join(waiters);
    assertThat(outcomes)
        .hasSize(2)
        .allSatisfy(
            outcome ->
                assertThat(outcome)
                    .isInstanceOf(IllegalStateException.class)
                    .hasFieldOrPropertyWithValue("message", "refused"));
    assertThat(calls).hasValue(1);
    assertThat(flight.running()).isZero();
    assertThat(flight.run("k", () -> "again")).isEqualTo("again");
  }

  @Test
  void anInterruptedWaiter_stopsWaiting_andTheCallGoesOn() throws Exception {
    Future<String> first = pool.submit(() -> flight.run("k", () -> held("one")));
    assertThat(started.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> flight.run("k", () -> "not shared"))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    release.countDown();
    assertThat(first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("one");
  }
}
