// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallCounterTest {
  private final CallCounter calls = new CallCounter();

  @Test
  void countsPerOperationAndInTotal() {
    calls.record("b.op");
    calls.record("a.op");
    calls.record("b.op");

    assertThat(calls.count("b.op")).isEqualTo(2);
    assertThat(calls.count("never")).isZero();
    assertThat(calls.total()).isEqualTo(3);
  }

  @Test
  void snapshotIsSortedImmutableAndDetached() {
    calls.record("b.op");
    calls.record("a.op");

    Map<String, Long> snapshot = calls.snapshot();
    calls.record("c.op");

    assertThat(snapshot.keySet()).containsExactly("a.op", "b.op");
    assertThatThrownBy(() -> snapshot.put("x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void resetForgetsEveryCount() {
    calls.record("a.op");

    calls.reset();

    assertThat(calls.total()).isZero();
    assertThat(calls.snapshot()).isEmpty();
  }

  @Test
  void concurrentRecordsAreAllCounted() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      String operation = "op" + (t % 2);
      pool.execute(
          () -> {
            for (int i = 0; i < 10_000; i++) {
              calls.record(operation);
            }
          });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(calls.count("op0")).isEqualTo(40_000);
    assertThat(calls.count("op1")).isEqualTo(40_000);
    assertThat(calls.total()).isEqualTo(80_000);
  }
}
