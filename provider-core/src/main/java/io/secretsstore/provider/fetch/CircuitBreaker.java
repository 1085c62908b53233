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
   * @return true when the call is the one trial of a half-open circuit: its caller must call
   *     {@link #endTrial()} when it ends, however it ends
   * @throws ProviderException of the kind that opened the circuit
   */
  synchronized boolean checkAllowed() {
    if (consecutiveFailures < threshold) {
      return false;
    }
    long now = nanoTime.getAsLong();
    if (now - openUntil < 0 || trialInFlight) {
      long seconds = Math.max(1, Duration.ofNanos(openUntil - now).toSeconds());
      throw ProviderException.of(
          lastKind,
          "the backend endpoint failed repeatedly; calls to it are paused for about " + seconds + "s");
    }
    trialInFlight = true;
    return true;
  }

  /** Ends the trial call, so a trial that died without an outcome cannot keep the circuit shut. */
  synchronized void endTrial() {
    trialInFlight = false;
  }

  synchronized void success() {
    consecutiveFailures = 0;
  }

  /** Records a failure; returns true when this failure opened the circuit. */
  synchronized boolean failure(ErrorKind kind) {
    lastKind = kind;
    consecutiveFailures++;
    if (consecutiveFailures >= threshold) {
      openUntil = nanoTime.getAsLong() + openNanos;
      return true;
    }
    return false;
  }
}
