// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the calls an emulator received, per operation. Thread-safe: the servers record from their
 * worker threads while a test reads or resets.
 */
public final class CallCounter {
  /** The operation under which requests that matched no route are counted. */
  public static final String UNMATCHED = "(unmatched)";

  // merge() is atomic per key, so a reset racing a record loses nothing but that one call's
  // attribution to "before" or "after" the reset.
  private final ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();

  /** Counts one call of an operation. */
  public void record(String operation) {
    counts.merge(operation, 1L, Long::sum);
  }

  /** The calls of one operation since the last reset. */
  public long count(String operation) {
    return counts.getOrDefault(operation, 0L);
  }

  /** All calls since the last reset, {@link #UNMATCHED} ones included. */
  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** An immutable copy of the counts, sorted by operation. */
  public Map<String, Long> snapshot() {
    return Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  /** Forgets every count. */
  public void reset() {
    counts.clear();
  }

  @Override
  public String toString() {
    return "CallCounter" + new TreeMap<>(counts);
  }
}
