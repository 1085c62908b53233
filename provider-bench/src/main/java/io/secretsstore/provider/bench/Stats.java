// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import java.util.List;

/** Percentiles of a list of durations in nanoseconds. */
record Stats(int count, double p50Millis, double p99Millis, double maxMillis) {
  static Stats of(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Stats(
        sorted.length,
        millis(percentile(sorted, 50)),
        millis(percentile(sorted, 99)),
        millis(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
  }

  private static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  @Override
  public String toString() {
    return String.format(
        "n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms", count, p50Millis, p99Millis, maxMillis);
  }
}
