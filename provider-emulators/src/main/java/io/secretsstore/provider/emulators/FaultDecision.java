// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.time.Duration;
import java.util.Optional;

/**
 * What the {@link FaultPlan} says one call must suffer. A transport applies it in this order: note
 * when the call arrived; wait {@link #delay()}; then, if there is a {@link #replacement()}, send
 * that instead of calling the handler; otherwise call the handler, {@linkplain #awaitResponseTime
 * wait out} what is left of {@link #responseTime()} and, with {@link #slowBody()}, trickle its body
 * out.
 *
 * <p>A gRPC emulator would map an {@link Fault.ErrorResponse} to a status (429 to {@code
 * RESOURCE_EXHAUSTED}, 503 to {@code UNAVAILABLE}, 401 to {@code UNAUTHENTICATED}, 403 to {@code
 * PERMISSION_DENIED}), a {@link Fault.Reset} to closing the transport, a {@link Fault.Hang} to
 * never completing the call.
 */
public final class FaultDecision {
  /** No fault: handle the call normally. */
  public static final FaultDecision NONE =
      new FaultDecision(Duration.ZERO, Duration.ZERO, null, null);

  private final Duration delay;
  private final Duration responseTime;
  private final Fault replacement;
  private final Fault.SlowBody slowBody;

  FaultDecision(Duration delay, Duration responseTime, Fault replacement, Fault.SlowBody slowBody) {
    this.delay = delay;
    this.responseTime = responseTime;
    this.replacement = replacement;
    this.slowBody = slowBody;
  }

  /** The sum of the latencies that hit this call. */
  public Duration delay() {
    return delay;
  }

  /** The least time from the call's arrival to its answer (zero: none). */
  public Duration responseTime() {
    return responseTime;
  }

  /**
   * Sleeps until {@link #responseTime()} has passed since {@code arrivedNanos} (a {@link
   * System#nanoTime()}); returns at once when the call's own work took longer.
   */
  public void awaitResponseTime(long arrivedNanos) throws InterruptedException {
    long left = responseTime.toNanos() - (System.nanoTime() - arrivedNanos);
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  /** The error, reset or hang to answer with instead of the handler's response. */
  public Optional<Fault> replacement() {
    return Optional.ofNullable(replacement);
  }

  /** How to trickle the response body out, if at all. */
  public Optional<Fault.SlowBody> slowBody() {
    return Optional.ofNullable(slowBody);
  }

  /** Whether the call is handled as if there were no plan. */
  public boolean isNone() {
    return delay.isZero() && responseTime.isZero() && replacement == null && slowBody == null;
  }

  @Override
  public String toString() {
    return "FaultDecision[delay="
        + delay
        + ", responseTime="
        + responseTime
        + ", replacement="
        + replacement
        + ", slowBody="
        + slowBody
        + "]";
  }
}
