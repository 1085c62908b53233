// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Kubernetes request bucket, on a clock the test moves. */
class RequestRateTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final RequestRate rate = new RequestRate(5, 2, now::get);

  @Test
  void burst_thenOneRequestPerFifthOfASecond() {
    assertThat(rate.reserve(0)).isZero();
    assertThat(rate.reserve(0)).isZero();
    assertThat(rate.reserve(0)).as("empty bucket, no budget: refused").isEqualTo(-1);
    assertThat(rate.reserve(TimeUnit.SECONDS.toNanos(1)))
        .as("a token in 200 ms")
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(rate.reserve(TimeUnit.SECONDS.toNanos(1)))
        .as("queued behind the first")
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
  }

  @Test
  void refusedReservations_takeNothing_andTheBucketRefillsUpToTheBurst() {
    rate.reserve(0);
    rate.reserve(0);
    for (int i = 0; i < 10; i++) {
      assertThat(rate.reserve(TimeUnit.MILLISECONDS.toNanos(100))).isEqualTo(-1);
    }
    assertThat(rate.reserve(TimeUnit.MILLISECONDS.toNanos(200)))
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    now.addAndGet(TimeUnit.SECONDS.toNanos(60));
    assertThat(rate.reserve(0)).isZero();
    assertThat(rate.reserve(0)).isZero();
    assertThat(rate.reserve(0)).isEqualTo(-1);
  }
}
