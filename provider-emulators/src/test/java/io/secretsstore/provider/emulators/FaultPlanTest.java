// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
  private final FaultPlan plan = new FaultPlan();

  @Test
  void noRuleMeansNoFault() {
    assertThat(plan.next("vault.read", "/v1/secret/a").isNone()).isTrue();
  }

  @Test
  void aCountedRuleHitsExactlyThatManyCallsAcrossThreads() throws Exception {
    plan.inject("vault.read", Fault.error(503), 100);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        workers.add(
            () -> {
              int hits = 0;
              for (int i = 0; i < 50; i++) {
                hits += plan.next("vault.read", null).replacement().isPresent() ? 1 : 0;
              }
              return hits;
            });
      }
      int total = 0;
      for (Future<Integer> result : pool.invokeAll(workers)) {
        total += result.get();
      }
      assertThat(total).isEqualTo(100);
      assertThat(plan.activeRules()).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void latenciesAddUpAndTheFirstTerminalFaultWinsWhileTheSecondKeepsItsCount() {
    plan.inject("vault.read", Fault.latency(Duration.ofMillis(100)));
    plan.inject(FaultPlan.ANY_OPERATION, Fault.latency(Duration.ofMillis(50)));
    FaultRule first = plan.inject("vault.read", Fault.error(429), 1);
    FaultRule second = plan.inject("vault.read", Fault.reset(), 1);

    FaultDecision one = plan.next("vault.read", null);
    FaultDecision two = plan.next("vault.read", null);

    assertThat(one.delay()).isEqualTo(Duration.ofMillis(150));
    assertThat(one.replacement()).contains(first.fault());
    assertThat(two.replacement()).contains(second.fault());
    assertThat(plan.next("vault.read", null).replacement()).isEmpty();
  }

  @Test
  void theLongestResponseTimeWins_andAloneMakesADecision() {
    plan.inject("vault.read", Fault.responseTime(Duration.ofMillis(50)));
    plan.inject(FaultPlan.ANY_OPERATION, Fault.responseTime(Duration.ofMillis(80)));
    plan.inject("vault.read", Fault.latency(Duration.ofMillis(7)));

    FaultDecision read = plan.next("vault.read", null);
    FaultDecision other = plan.next("vault.write", null);

    assertThat(read.responseTime()).isEqualTo(Duration.ofMillis(80));
    assertThat(read.delay()).isEqualTo(Duration.ofMillis(7));
    assertThat(other.isNone()).isFalse();
    assertThat(other.delay()).isZero();
    assertThat(other.responseTime()).isEqualTo(Duration.ofMillis(80));
    assertThat(FaultDecision.NONE.responseTime()).isZero();
  }

  @Test
  void slowBodyShapesTheHandlersAnswerAndCombinesWithLatency() {
    plan.inject("vault.read", Fault.slowBody(10, Duration.ofMillis(5)));
    plan.inject("vault.read", Fault.latency(Duration.ofMillis(7)));

    FaultDecision decision = plan.next("vault.read", null);

    assertThat(decision.slowBody()).contains(new Fault.SlowBody(10, Duration.ofMillis(5)));
    assertThat(decision.delay()).isEqualTo(Duration.ofMillis(7));
    assertThat(decision.replacement()).isEmpty();
  }

  @Test
  void rulesHitOnlyTheirOperationAndResource() {
    plan.inject("vault.read", "/v1/secret/b", Fault.error(500), FaultPlan.ALWAYS);

    assertThat(plan.next("vault.read", "/v1/secret/a").isNone()).isTrue();
    assertThat(plan.next("vault.list", "/v1/secret/b").isNone()).isTrue();
    assertThat(plan.next("vault.read", "/v1/secret/b").replacement()).isPresent();
    assertThat(plan.next("vault.read", "/v1/secret/b").replacement()).isPresent();
  }

  @Test
  void clearingAnOperationLeavesTheOthers() {
    plan.inject("vault.read", Fault.error(500));
    plan.inject("vault.list", Fault.error(500));

    plan.clear("vault.read");

    assertThat(plan.next("vault.read", null).isNone()).isTrue();
    assertThat(plan.next("vault.list", null).isNone()).isFalse();
    plan.clear();
    assertThat(plan.next("vault.list", null).isNone()).isTrue();
  }

  @Test
  void aCancelledRuleNoLongerHits() {
    FaultRule rule = plan.inject("vault.read", Fault.error(500));

    rule.cancel();

    assertThat(rule.isActive()).isFalse();
    assertThat(plan.next("vault.read", null).isNone()).isTrue();
  }

  @Test
  void throttledRoundsRetryAfterUpToWholeSeconds() {
    assertThat(Fault.throttled(Duration.ofMillis(1500)).headers())
        .containsEntry("Retry-After", "2");
    assertThat(Fault.throttled(Duration.ofSeconds(1)).status()).isEqualTo(429);
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> plan.inject("vault.read", Fault.reset(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.error(99)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.latency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.slowBody(0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.hang(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
