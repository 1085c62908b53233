// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.health;

import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A supplier whose answer is reused for a while, so frequent probes cost one check per period. */
public final class RecentResult<T> implements Supplier<T> {
  private final Supplier<T> source;
  private final long periodNanos;
  private @Nullable T value;
  private long takenAt;

  public RecentResult(Supplier<T> source, Duration period) {
    this.source = source;
    this.periodNanos = period.toNanos();
  }

  @Override
  public synchronized T get() {
    long now = System.nanoTime();
    T current = value;
    // The source never returns null, so null means nothing was taken yet.
    if (current == null || now - takenAt > periodNanos) {
      current = source.get();
      value = current;
      takenAt = now;
    }
    return current;
  }
}
