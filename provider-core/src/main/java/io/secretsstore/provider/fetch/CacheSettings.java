// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import java.time.Duration;

/**
 * How fetched objects are cached and kept fresh.
 *
 * @param pollInterval how often an object in use is re-read from the backend in the background
 * @param pollJitter up to how much later than the interval each refresh happens, so refreshes of
 *     many objects spread out instead of arriving together
 * @param freshness the oldest an object may be when a mount is answered from the cache; past it the
 *     mount fetches again. Must exceed interval plus jitter, or entries in use would expire before
 *     their refresh
 * @param idleAfter an object no mount has asked for this long is no longer refreshed and is dropped
 * @param maxBytes the cache's size bound in content bytes
 * @param maxEntries the cache's bound in entries
 */
public record CacheSettings(
    Duration pollInterval,
    Duration pollJitter,
    Duration freshness,
    Duration idleAfter,
    long maxBytes,
    int maxEntries) {
  /**
   * Poll every 2 minutes (the driver's rotation default) plus up to 15 s; fresh for 5 minutes; idle
   * after 10.
   */
  public static final CacheSettings DEFAULT =
      new CacheSettings(
          Duration.ofMinutes(2),
          Duration.ofSeconds(15),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          16L << 20,
          10_000);

  public CacheSettings {
    if (pollInterval.isZero() || pollInterval.isNegative() || pollJitter.isNegative()) {
      throw new IllegalArgumentException(
          "the poll interval must be positive and the jitter not negative");
    }
    if (freshness.compareTo(pollInterval.plus(pollJitter)) <= 0) {
      throw new IllegalArgumentException(
          "cache freshness must be longer than the poll interval plus jitter");
    }
    if (idleAfter.isNegative() || idleAfter.isZero() || maxBytes < 1 || maxEntries < 1) {
      throw new IllegalArgumentException("cache idle time and bounds must be positive");
    }
  }
}
