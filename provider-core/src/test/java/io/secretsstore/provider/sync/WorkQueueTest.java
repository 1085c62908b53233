// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  @Test
  void aKeyAddedTwiceWaitsOnce_andOneAddedWhileWorkedOnComesBackAfterDone()
      throws InterruptedException {
    try (WorkQueue queue = new WorkQueue(Duration.ofSeconds(1), Duration.ofMinutes(5))) {
      queue.add("a");
      queue.add("a");
      queue.add("b");
      assertThat(queue.length()).isEqualTo(2);

      assertThat(queue.take()).contains("a");
      queue.add("a");
      assertThat(queue.length()).as("not queued while being worked on").isEqualTo(1);
      queue.done("a");
      assertThat(queue.length()).isEqualTo(2);
      assertThat(queue.take()).contains("b");
      assertThat(queue.take()).contains("a");
    }
  }

  @Test
  void backoffDoublesPerFailureUpToTheMaximum_andForgetResetsIt() {
    try (WorkQueue queue = new WorkQueue(Duration.ofSeconds(1), Duration.ofSeconds(10))) {
      assertThat(queue.backoff(1)).isEqualTo(Duration.ofSeconds(1));
      assertThat(queue.backoff(2)).isEqualTo(Duration.ofSeconds(2));
      assertThat(queue.backoff(4)).isEqualTo(Duration.ofSeconds(8));
      assertThat(queue.backoff(5)).isEqualTo(Duration.ofSeconds(10));
      assertThat(queue.backoff(64)).isEqualTo(Duration.ofSeconds(10));
      queue.addRateLimited("a");
      queue.addRateLimited("a");
      assertThat(queue.failures("a")).isEqualTo(2);
      queue.forget("a");
      assertThat(queue.failures("a")).isZero();
    }
  }

  @Test
  void close_wakesAWaitingWorkerWithNothing() throws Exception {
    WorkQueue queue = new WorkQueue(Duration.ofSeconds(1), Duration.ofMinutes(5));
    java.util.concurrent.CompletableFuture<java.util.Optional<String>> taken =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.take();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    queue.close();
    assertThat(taken.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
  }
}
