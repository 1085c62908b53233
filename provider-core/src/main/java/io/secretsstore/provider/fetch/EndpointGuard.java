// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.ProviderException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The calls to one backend endpoint: a concurrency limit, retries of throttling and transient
 * failures with jittered exponential backoff that honours Retry-After and never outlives the
 * deadline, and a circuit breaker. Throttling that outlasts the retries ends as RESOURCE_EXHAUSTED,
 * never UNAVAILABLE, which the driver would retry three more times.
 */
final class EndpointGuard {
  private final String backend;
  private final ResilienceSettings settings;
  private final Semaphore permits;
  private final CircuitBreaker circuit;
  private final FetchEvents events;
  private final LongSupplier nanoTime;

  EndpointGuard(String backend, ResilienceSettings settings, FetchEvents events, LongSupplier nanoTime) {
    this.backend = backend;
    this.settings = settings;
    this.permits = new Semaphore(settings.maxConcurrentPerEndpoint(), true);
    this.circuit = new CircuitBreaker(settings.circuitFailureThreshold(), settings.circuitOpenFor(), nanoTime);
    this.events = events;
    this.nanoTime = nanoTime;
  }

  /** A backend call, as the guard runs it. */
  @FunctionalInterface
  interface Call {
    FetchedObject call() throws InterruptedException;
  }

  /** Runs a call with the endpoint's protections until it succeeds, fails for good, or the deadline. */
  FetchedObject call(Call call, long deadlineNanos) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      // Outside the retry handling: an open circuit fails the call at once, without backoff.
      boolean trial = circuit.checkAllowed();
      try {
        return attempt(call, deadlineNanos);
      } catch (ProviderException failure) {
        if (!retryable(failure)) {
          throw failure;
        }
        Duration wait = backoff(attempt, failure);
        if (attempt >= settings.maxAttempts() || nanoTime.getAsLong() + wait.toNanos() - deadlineNanos > 0) {
          throw exhausted(failure, attempt);
        }
        Thread.sleep(wait.toMillis());
      } finally {
        if (trial) {
          circuit.endTrial();
        }
      }
    }
  }

  private FetchedObject attempt(Call call, long deadlineNanos) throws InterruptedException {
    long wait = deadlineNanos - nanoTime.getAsLong();
    if (wait <= 0 || !permits.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
      throw ProviderException.of(ErrorKind.DEADLINE_EXCEEDED, "no free connection to the backend endpoint before the deadline");
    }
    long start = System.nanoTime();
    try {
      FetchedObject result = call.call();
      circuit.success();
      events.backendCall(backend, "OK", Duration.ofNanos(System.nanoTime() - start));
      return result;
    } catch (ProviderException e) {
      events.backendCall(backend, e.kind().name(), Duration.ofNanos(System.nanoTime() - start));
      if (!retryable(e)) {
        circuit.success();
      } else {
        if (e.isThrottled()) {
          events.throttled(backend);
        }
        if (circuit.failure(e.kind())) {
          events.circuitOpened(backend, e.kind());
        }
      }
      throw e;
    } finally {
      permits.release();
    }
  }

  private static boolean retryable(ProviderException e) {
    return e.isThrottled() || e.kind() == ErrorKind.UNAVAILABLE;
  }

  /** Full jitter over an exponential ceiling, but never shorter than the backend's Retry-After. */
  private Duration backoff(int attempt, ProviderException failure) {
    long ceiling = Math.min(settings.maxBackoff().toMillis(), settings.baseBackoff().toMillis() << Math.min(attempt - 1, 20));
    long jittered = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    long retryAfter = failure.retryAfter().map(Duration::toMillis).orElse(0L);
    return Duration.ofMillis(Math.max(jittered, retryAfter));
  }

  private static ProviderException exhausted(ProviderException failure, int attempts) {
    if (failure.isThrottled()) {
      // Still throttled (RESOURCE_EXHAUSTED) and still carrying the backend's Retry-After, so the
      // rotation poller waits that long before its next attempt.
      return ProviderException.throttled(
          "the backend is throttling requests (" + attempts + " attempts); the next mount or poll will try again",
          failure.retryAfter().orElse(null));
    }
    return failure;
  }
}
