// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.FetchedObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The calls to one backend endpoint: each attempt runs on the {@link FetchScheduler} (the
 * endpoint's concurrency limit and each identity's share), retries of throttling and transient
 * failures wait out a jittered exponential backoff that honours Retry-After and never outlives the
 * deadline, and a circuit breaker stops calls to an endpoint that is down. Nothing here holds a
 * thread while it waits: a call waiting for its share sits in a queue, a backoff is a timer.
 * Throttling that outlasts the retries ends as RESOURCE_EXHAUSTED, never UNAVAILABLE, which the
 * driver would retry three more times.
 */
final class EndpointGuard {
  private final String backend;
  private final String endpoint;
  private final ResilienceSettings settings;
  private final CircuitBreaker circuit;
  private final FetchScheduler scheduler;
  private final ScheduledExecutorService timers;
  private final FetchEvents events;
  private final LongSupplier nanoTime;

  EndpointGuard(
      String backend,
      String endpoint,
      ResilienceSettings settings,
      FetchScheduler scheduler,
      ScheduledExecutorService timers,
      FetchEvents events,
      LongSupplier nanoTime) {
    this.backend = backend;
    this.endpoint = endpoint;
    this.settings = settings;
    this.circuit =
        new CircuitBreaker(settings.circuitFailureThreshold(), settings.circuitOpenFor(), nanoTime);
    this.scheduler = scheduler;
    this.timers = timers;
    this.events = events;
    this.nanoTime = nanoTime;
  }

  /** A backend call, as the guard runs it. */
  @FunctionalInterface
  interface Call {
    FetchedObject call() throws InterruptedException;
  }

  /**
   * Whether a call made now would get past the circuit. Asking takes no trial: a half-open
   * circuit's trial is given back at once. For tests of what a caller sees right after a result.
   */
  boolean admitsCallsNow() {
    try {
      if (circuit.checkAllowed()) {
        circuit.endTrial();
      }
      return true;
    } catch (ProviderException refused) {
      return false;
    }
  }

  /**
   * Runs a call for {@code identity} with the endpoint's protections until it succeeds, fails for
   * good, or the deadline. Completing the returned future from outside (a timeout) abandons the
   * call: a waiting attempt is dropped, a running one interrupted.
   */
  CompletableFuture<FetchedObject> call(IdentityKey identity, Call call, long deadlineNanos) {
    GuardedCall guarded = new GuardedCall(identity, call, deadlineNanos);
    guarded.result.whenComplete((value, failure) -> guarded.interruptRunner());
    guarded.submit(1);
    return guarded.result;
  }

  /** One guarded call across its attempts. */
  private final class GuardedCall {
    final IdentityKey identity;
    final Call call;
    final long deadlineNanos;
    final CompletableFuture<FetchedObject> result = new CompletableFuture<>();
    private @Nullable Thread runner;

    GuardedCall(IdentityKey identity, Call call, long deadlineNanos) {
      this.identity = identity;
      this.call = call;
      this.deadlineNanos = deadlineNanos;
    }

    void submit(int attempt) {
      try {
        scheduler.submit(identity, endpoint, result::isDone, () -> attempt(attempt));
      } catch (ProviderException e) {
        result.completeExceptionally(e);
      }
    }

    private void attempt(int attempt) {
      boolean trial;
      try {
        // An open circuit fails the call at once, without backoff.
        trial = circuit.checkAllowed();
      } catch (ProviderException open) {
        result.completeExceptionally(open);
        return;
      }
      Runnable outcome;
      try {
        outcome = outcome(attempt);
      } finally {
        if (trial) {
          circuit.endTrial();
        }
      }
      // Only now: whoever sees the result must see the circuit as this attempt left it (a trial
      // still marked in flight would refuse the caller's next call).
      outcome.run();
    }

    /** Makes one attempt and returns what ends it: a result, a failure, or a retry on a timer. */
    private Runnable outcome(int attempt) {
      try {
        if (nanoTime.getAsLong() - deadlineNanos >= 0) {
          throw ProviderException.of(
              ErrorKind.DEADLINE_EXCEEDED,
              "no free connection to the backend endpoint before the deadline");
        }
        FetchedObject value = run();
        return () -> result.complete(value);
      } catch (ProviderException failure) {
        if (!retryable(failure)) {
          return () -> result.completeExceptionally(failure);
        }
        Duration wait = backoff(attempt, failure);
        if (attempt >= settings.maxAttempts()
            || nanoTime.getAsLong() + wait.toNanos() - deadlineNanos > 0) {
          ProviderException exhausted = exhausted(failure, attempt);
          return () -> result.completeExceptionally(exhausted);
        }
        return () -> retryAfter(wait, attempt, failure);
      } catch (InterruptedException e) {
        return () ->
            result.completeExceptionally(
                ProviderException.of(ErrorKind.CANCELLED, "the fetch was cancelled"));
      } catch (Throwable t) {
        return () -> result.completeExceptionally(t);
      }
    }

    private void retryAfter(Duration wait, int attempt, ProviderException failure) {
      try {
        timers.schedule(() -> submit(attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopped) {
        result.completeExceptionally(failure);
      }
    }

    /** One backend call on this thread, recorded and weighed by the circuit. */
    private FetchedObject run() throws InterruptedException {
      if (!enter()) {
        throw new InterruptedException();
      }
      long start = System.nanoTime();
      try {
        FetchedObject value = call.call();
        circuit.success();
        events.backendCall(backend, "OK", Duration.ofNanos(System.nanoTime() - start));
        return value;
      } catch (ProviderException e) {
        events.backendCall(backend, e.kind().name(), Duration.ofNanos(System.nanoTime() - start));
        if (!retryable(e)) {
          circuit.success();
        } else if (e.isThrottled()) {
          events.throttled(backend);
        } else if (circuit.failure(e.kind(), identity)) {
          events.circuitOpened(backend, e.kind());
        }
        throw e;
      } finally {
        leave();
      }
    }

    /** Registers this thread as the runner, unless the call was abandoned already. */
    private synchronized boolean enter() {
      if (result.isDone()) {
        return false;
      }
      runner = Thread.currentThread();
      return true;
    }

    private void leave() {
      synchronized (this) {
        runner = null;
      }
      // An interrupt that arrived as the call returned must not reach the pool's next task.
      Thread.interrupted();
    }

    synchronized void interruptRunner() {
      if (runner != null && runner != Thread.currentThread()) {
        runner.interrupt();
      }
    }
  }

  private static boolean retryable(ProviderException e) {
    return e.isThrottled() || e.kind() == ErrorKind.UNAVAILABLE;
  }

  /** Full jitter over an exponential ceiling, but never shorter than the backend's Retry-After. */
  private Duration backoff(int attempt, ProviderException failure) {
    long ceiling =
        Math.min(
            settings.maxBackoff().toMillis(),
            settings.baseBackoff().toMillis() << Math.min(attempt - 1, 20));
    long jittered = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    long retryAfter = failure.retryAfter().map(Duration::toMillis).orElse(0L);
    return Duration.ofMillis(Math.max(jittered, retryAfter));
  }

  private static ProviderException exhausted(ProviderException failure, int attempts) {
    if (failure.isThrottled()) {
      // Still throttled (RESOURCE_EXHAUSTED) and still carrying the backend's Retry-After, so the
      // rotation poller waits that long before its next attempt.
      return ProviderException.throttled(
          "the backend is throttling requests ("
              + attempts
              + " attempts); the next mount or poll will try again",
          failure.retryAfter().orElse(null));
    }
    return failure;
  }
}
