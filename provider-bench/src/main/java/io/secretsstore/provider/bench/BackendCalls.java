// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import io.secretsstore.provider.emulators.CallCounter;
import java.util.Map;
import java.util.TreeMap;

/**
 * The emulator's calls during measured Mounts, by operation, averaged per Mount: the evidence of
 * which backend calls a cold Mount makes (a login, a describe, the reads). Mounts are measured one
 * at a time, so the calls between {@link #begin} and {@link #end} are that Mount's, plus any
 * background refresh that happens to fall in the window.
 */
final class BackendCalls {
  private final CallCounter counter;
  private final Map<String, Long> totals = new TreeMap<>();
  private Map<String, Long> before = Map.of();
  private int mounts;

  BackendCalls(CallCounter counter) {
    this.counter = counter;
  }

  void begin() {
    before = counter.snapshot();
  }

  void end() {
    counter
        .snapshot()
        .forEach(
            (operation, count) -> {
              long delta = count - before.getOrDefault(operation, 0L);
              if (delta > 0) {
                totals.merge(operation, delta, Long::sum);
              }
            });
    mounts++;
  }

  /** Calls per measured Mount, by operation. */
  Map<String, Double> perMount() {
    Map<String, Double> average = new TreeMap<>();
    totals.forEach(
        (operation, total) ->
            average.put(operation, Math.round(total * 100.0 / Math.max(1, mounts)) / 100.0));
    return average;
  }
}
