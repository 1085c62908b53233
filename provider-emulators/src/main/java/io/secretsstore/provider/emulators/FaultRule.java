// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One injected fault: which calls it hits and how many times are left. Returned by {@link
 * FaultPlan#inject} so a test can see whether it was used up, or cancel it alone.
 */
public final class FaultRule {
  private final String operation;
  private final String resource;
  private final Fault fault;
  // FaultPlan.ALWAYS (-1) never counts down; 0 means used up or cancelled.
  private final AtomicInteger remaining;

  FaultRule(String operation, String resource, Fault fault, int times) {
    this.operation = Objects.requireNonNull(operation, "operation");
    this.resource = resource;
    this.fault = Objects.requireNonNull(fault, "fault");
    if (times < 1 && times != FaultPlan.ALWAYS) {
      throw new IllegalArgumentException("times must be positive or FaultPlan.ALWAYS");
    }
    this.remaining = new AtomicInteger(times);
  }

  /** The operation it hits, or {@link FaultPlan#ANY_OPERATION}. */
  public String operation() {
    return operation;
  }

  /** The one resource it hits (e.g. a secret's path), or empty for all. */
  public Optional<String> resource() {
    return Optional.ofNullable(resource);
  }

  /** The fault. */
  public Fault fault() {
    return fault;
  }

  /**
   * Calls it will still hit: {@link FaultPlan#ALWAYS} when unlimited, 0 when used up or cancelled.
   */
  public int remaining() {
    return remaining.get();
  }

  /** Whether it will hit another call. */
  public boolean isActive() {
    return remaining.get() != 0;
  }

  /** Stops it from hitting any further call. */
  public void cancel() {
    remaining.set(0);
  }

  boolean matches(String callOperation, String callResource) {
    return (operation.equals(FaultPlan.ANY_OPERATION) || operation.equals(callOperation))
        && (resource == null || resource.equals(callResource));
  }

  /** Takes one use, atomically, so concurrent calls never share the last one. */
  boolean tryConsume() {
    while (true) {
      int left = remaining.get();
      if (left == FaultPlan.ALWAYS) {
        return true;
      }
      if (left == 0) {
        return false;
      }
      if (remaining.compareAndSet(left, left - 1)) {
        return true;
      }
    }
  }

  @Override
  public String toString() {
    return "FaultRule["
        + operation
        + (resource == null ? "" : " " + resource)
        + ": "
        + fault
        + ", remaining="
        + (remaining.get() == FaultPlan.ALWAYS ? "always" : remaining.get())
        + "]";
  }
}
