// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The faults an emulator injects, per operation, changed at runtime by tests. Thread-safe: rules
 * are added, consumed and cleared while the servers run.
 *
 * <p>Each call takes every matching latency (summed), the longest matching response time, the first
 * matching slow body, and the first matching {@linkplain Fault#replacesResponse() terminal} fault,
 * in the order they were injected. A rule with a count is used up by the calls it actually hit; a
 * rule that was matched but not applied (a second terminal fault) keeps its count.
 *
 * <pre>{@code
 * faults.inject("vault.read", Fault.throttled(Duration.ofSeconds(1)), 2); // next two calls: 429
 * faults.inject(FaultPlan.ANY_OPERATION, Fault.latency(Duration.ofMillis(200)));
 * faults.inject("aws.GetSecretValue", "db-password", Fault.error(500), FaultPlan.ALWAYS);
 * }</pre>
 */
public final class FaultPlan {
  /** An operation name that matches every operation. */
  public static final String ANY_OPERATION = "*";

  /** A count meaning "every call until cleared". */
  public static final int ALWAYS = -1;

  private final List<FaultRule> rules = new CopyOnWriteArrayList<>();

  /** Hits every call of an operation until cleared. */
  public FaultRule inject(String operation, Fault fault) {
    return inject(operation, null, fault, ALWAYS);
  }

  /** Hits the next {@code times} calls of an operation ({@link #ALWAYS} for all). */
  public FaultRule inject(String operation, Fault fault, int times) {
    return inject(operation, null, fault, times);
  }

  /**
   * Hits the next {@code times} calls of an operation on one resource, as the emulator names it
   * (see {@link Route#resource}); a null resource means every resource.
   */
  public FaultRule inject(String operation, String resource, Fault fault, int times) {
    FaultRule rule = new FaultRule(operation, resource, fault, times);
    rules.add(rule);
    return rule;
  }

  /** The rules that will still hit a call, in injection order. */
  public List<FaultRule> activeRules() {
    return rules.stream().filter(FaultRule::isActive).toList();
  }

  /**
   * Removes the rules injected for one operation name (rules for {@link #ANY_OPERATION} need that
   * name).
   */
  public void clear(String operation) {
    rules.removeIf(rule -> rule.operation().equals(operation));
  }

  /** Removes every rule. */
  public void clear() {
    rules.clear();
  }

  /** Decides, and consumes, what one call of an operation on a resource suffers. */
  public FaultDecision next(String operation, String resource) {
    Duration delay = Duration.ZERO;
    Duration responseTime = Duration.ZERO;
    Fault replacement = null;
    Fault.SlowBody slowBody = null;
    boolean usedUp = false;
    for (FaultRule rule : rules) {
      if (!rule.matches(operation, resource)) {
        continue;
      }
      Fault fault = rule.fault();
      boolean wanted =
          fault instanceof Fault.Latency
              || fault instanceof Fault.ResponseTime
              || (fault instanceof Fault.SlowBody && slowBody == null)
              || (fault.replacesResponse() && replacement == null);
      if (!wanted || !rule.tryConsume()) {
        continue;
      }
      usedUp |= !rule.isActive();
      if (fault instanceof Fault.Latency latency) {
        delay = delay.plus(latency.delay());
      } else if (fault instanceof Fault.ResponseTime time) {
        responseTime = time.total().compareTo(responseTime) > 0 ? time.total() : responseTime;
      } else if (fault instanceof Fault.SlowBody slow) {
        slowBody = slow;
      } else {
        replacement = fault;
      }
    }
    if (usedUp) {
      rules.removeIf(rule -> !rule.isActive());
    }
    FaultDecision decision = new FaultDecision(delay, responseTime, replacement, slowBody);
    return decision.isNone() ? FaultDecision.NONE : decision;
  }

  @Override
  public String toString() {
    return "FaultPlan" + activeRules();
  }
}
