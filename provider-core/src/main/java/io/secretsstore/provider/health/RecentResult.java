// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.health;

import java.time.Duration;
import java.util.function.Supplier;

/** A supplier whose answer is reused for a while, so frequent probes cost one check per period. */
public final class RecentResult<T> implements Supplier<T> {
  private final Supplier<T> source;
  private final long periodNanos;
  private T value;
  private long takenAt;
  private boolean taken;

  public RecentResult(Supplier<T> source, Duration period) {
    this.source = source;
    this.periodNanos = period.toNanos();
  }

  @Override
  public synchronized T get() {
    long now = System.nanoTime();
    if (!taken || now - takenAt > periodNanos) {
      value = source.get();
      takenAt = now;
      taken = true;
    }
    return value;
  }
}
