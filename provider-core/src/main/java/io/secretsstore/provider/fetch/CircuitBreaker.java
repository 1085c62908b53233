// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling an endpoint that keeps failing with throttling or transient errors, and recovers
 * on its own: after the open period one trial call goes through; its success closes the circuit,
 * its failure opens it again. Failures that say nothing about the endpoint's health (not found,
 * denied) count as successes.
 */
final class CircuitBreaker {
  private final int threshold;
  private final long openNanos;
  private final LongSupplier nanoTime;

  private int consecutiveFailures;
  private long openUntil;
  private boolean trialInFlight;
  private ErrorKind lastKind = ErrorKind.UNAVAILABLE;

  CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoTime) {
    this.threshold = threshold;
    this.openNanos = openFor.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Lets a call through or refuses it while open.
   *
   * @throws ProviderException of the kind that opened the circuit
   */
  synchronized void checkAllowed() {
    if (consecutiveFailures < threshold) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (now - openUntil < 0 || trialInFlight) {
      long seconds = Math.max(1, Duration.ofNanos(openUntil - now).toSeconds());
      throw ProviderException.of(
          lastKind,
          "the backend endpoint failed repeatedly; calls to it are paused for about " + seconds + "s");
    }
    trialInFlight = true;
  }

  synchronized void success() {
    consecutiveFailures = 0;
    trialInFlight = false;
  }

  /** Records a failure; returns true when this failure opened the circuit. */
  synchronized boolean failure(ErrorKind kind) {
    lastKind = kind;
    trialInFlight = false;
    consecutiveFailures++;
    if (consecutiveFailures >= threshold) {
      openUntil = nanoTime.getAsLong() + openNanos;
      return true;
    }
    return false;
  }
}
