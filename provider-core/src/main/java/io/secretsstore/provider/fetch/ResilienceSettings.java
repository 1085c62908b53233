// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import java.time.Duration;

/**
 * How the engine protects a backend endpoint, and itself, from overload.
 *
 * @param maxConcurrentPerEndpoint backend calls in flight at once per endpoint
 * @param maxAttempts calls per object fetch, the first included, for throttling and transient
 *     failures
 * @param baseBackoff the first backoff; it doubles per attempt, with full jitter
 * @param maxBackoff the longest backoff (a longer Retry-After is honoured if the deadline allows)
 * @param circuitFailureThreshold consecutive throttling or transient failures that open the circuit
 * @param circuitOpenFor how long an open circuit refuses calls before letting one through
 */
public record ResilienceSettings(
    int maxConcurrentPerEndpoint,
    int maxAttempts,
    Duration baseBackoff,
    Duration maxBackoff,
    int circuitFailureThreshold,
    Duration circuitOpenFor) {
  /** 16 calls per endpoint, 3 attempts, 200 ms to 5 s backoff, circuit of 5 failures for 30 s. */
  public static final ResilienceSettings DEFAULT =
      new ResilienceSettings(
          16, 3, Duration.ofMillis(200), Duration.ofSeconds(5), 5, Duration.ofSeconds(30));

  public ResilienceSettings {
    if (maxConcurrentPerEndpoint < 1 || maxAttempts < 1 || circuitFailureThreshold < 1) {
      throw new IllegalArgumentException("resilience limits must be at least 1");
    }
  }
}
