// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import java.util.function.LongSupplier;

/**
 * A client-side token bucket for Kubernetes requests, as client-go's {@code --qps}/{@code --burst}
 * limiter, with one difference that matters for mounts (upstream #136, #359): a caller says how
 * long it may wait, and a reservation that would end later is refused at once instead of waiting
 * and failing at the deadline.
 */
final class RequestRate {
  private final double perNano;
  private final int burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilled;

  RequestRate(double qps, int burst, LongSupplier nanoTime) {
    this.perNano = qps / 1e9;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.refilled = nanoTime.getAsLong();
  }

  /**
   * Reserves one request.
   *
   * @param budgetNanos how long the caller may wait
   * @return how long to wait before sending, or -1 when that would exceed the budget (nothing
   *     reserved)
   */
  synchronized long reserve(long budgetNanos) {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - refilled) * perNano);
    refilled = now;
    long wait = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    if (wait > budgetNanos) {
      return -1;
    }
    tokens -= 1;
    return wait;
  }
}
