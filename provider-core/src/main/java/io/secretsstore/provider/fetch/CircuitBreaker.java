// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Stops calling an endpoint that is down, and recovers on its own: after the open period one trial
 * call goes through; its success closes the circuit, its failure opens it again.
 *
 * <p>The endpoint is shared by every tenant of the node, so the circuit opens only on evidence
 * about the endpoint itself: transient failures (connection failures, 5xx) in a row from at least
 * {@link #MIN_IDENTITIES} identities. One identity's failing objects, however many, say nothing
 * about the others' (a tenant can make its own objects fail), and throttling is the backend pacing
 * a caller, which the retries' back-off answers; neither counts. Failures that say nothing about
 * the endpoint's health (not found, denied) count as successes.
 */
final class CircuitBreaker {
  /** Distinct identities whose failures it takes to call the endpoint down. */
  static final int MIN_IDENTITIES = 2;

  private final int threshold;
  private final long openNanos;
  private final LongSupplier nanoTime;

  private int consecutiveFailures;

  /** The identities among the consecutive failures; at most {@link #MIN_IDENTITIES} are kept. */
  private final Set<IdentityKey> failingIdentities = new HashSet<>();

  private boolean open;
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
   * @return true when the call is the one trial of a half-open circuit: its caller must call {@link
   *     #endTrial()} when it ends, however it ends
   * @throws ProviderException of the kind that opened the circuit
   */
  synchronized boolean checkAllowed() {
    if (!open) {
      return false;
    }
    long now = nanoTime.getAsLong();
    if (now - openUntil < 0 || trialInFlight) {
      long seconds = Math.max(1, Duration.ofNanos(openUntil - now).toSeconds());
      throw ProviderException.of(
          lastKind,
          "the backend endpoint failed repeatedly for several identities; calls to it are paused for about "
              + seconds
              + "s");
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
    failingIdentities.clear();
    open = false;
  }

  /**
   * Records a transient failure of a call made for {@code identity}; returns true when this failure
   * opened the circuit.
   */
  synchronized boolean failure(ErrorKind kind, IdentityKey identity) {
    lastKind = kind;
    consecutiveFailures++;
    if (failingIdentities.size() < MIN_IDENTITIES) {
      failingIdentities.add(identity);
    }
    if (consecutiveFailures >= threshold && failingIdentities.size() >= MIN_IDENTITIES) {
      // A failed trial, or more failures while open, push the end of the open period out.
      boolean opened = !open;
      open = true;
      openUntil = nanoTime.getAsLong() + openNanos;
      return opened;
    }
    return false;
  }
}
