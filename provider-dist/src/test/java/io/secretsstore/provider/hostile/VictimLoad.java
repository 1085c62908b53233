// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The victim's mounts, sent back to back by a few workers for as long as an attack runs: each
 * mount's latency and each failure are recorded, so that a test can say what the attack cost the
 * victim.
 */
public final class VictimLoad implements AutoCloseable {
  /**
   * How long the driver would wait for one mount; a victim's mount that takes longer failed anyway.
   */
  private static final Duration DRIVER_TIMEOUT = Duration.ofSeconds(100);

  private final ExecutorService workers;
  private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile boolean running = true;

  private VictimLoad(ExecutorService workers) {
    this.workers = workers;
  }

  /**
   * Starts {@code concurrency} workers that mount {@code calls.apply(n)} for n = 0, 1, ... (each n
   * once, across the workers) over {@code client} until {@link #stop}.
   */
  public static VictimLoad start(
      ProviderClient client, int concurrency, IntFunction<ProviderClient.MountCall> calls) {
    VictimLoad load = new VictimLoad(Executors.newFixedThreadPool(concurrency));
    for (int w = 0; w < concurrency; w++) {
      load.workers.submit(() -> load.run(client, calls));
    }
    return load;
  }

  private void run(ProviderClient client, IntFunction<ProviderClient.MountCall> calls) {
    while (running) {
      ProviderClient.MountCall call = calls.apply(sequence.getAndIncrement());
      long start = System.nanoTime();
      try {
        client.mount(call, DRIVER_TIMEOUT);
        latencies.add(System.nanoTime() - start);
      } catch (ProviderCallException e) {
        failures.add(e.code() + ": " + e.description());
      } catch (RuntimeException e) {
        failures.add(e.toString());
      }
    }
  }

  /** Mounts that succeeded so far. */
  public int succeeded() {
    return latencies.size();
  }

  /** Stops the workers after their current mount and returns what the victim saw. */
  public Outcome stop() throws InterruptedException {
    running = false;
    workers.shutdown();
    if (!workers.awaitTermination(DRIVER_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
      workers.shutdownNow();
      throw new IllegalStateException("the victim's mounts did not end");
    }
    synchronized (latencies) {
      synchronized (failures) {
        return new Outcome(
            latencies.stream().map(Duration::ofNanos).sorted().toList(), List.copyOf(failures));
      }
    }
  }

  @Override
  public void close() {
    running = false;
    workers.shutdownNow();
  }

  /**
   * What the victim saw.
   *
   * @param latencies the successful mounts' latencies, sorted
   * @param failures each failed mount's code and message
   */
  public record Outcome(List<Duration> latencies, List<String> failures) {
    /**
     * The 99th percentile of the successful mounts' latencies (nearest rank); zero if none
     * succeeded.
     */
    public Duration p99() {
      if (latencies.isEmpty()) {
        return Duration.ZERO;
      }
      int rank = (int) Math.ceil(0.99 * latencies.size());
      return latencies.get(Math.max(0, rank - 1));
    }

    /** The slowest successful mount. */
    public Duration max() {
      return latencies.isEmpty() ? Duration.ZERO : latencies.get(latencies.size() - 1);
    }

    /**
     * Asserts that the victim mounted at least once, that every mount succeeded, and that none took
     * longer than {@code bound}.
     */
    public void assertUnharmed(Duration bound) {
      assertThat(failures).as("the victim's failed mounts").isEmpty();
      assertThat(latencies).as("the victim's mounts").isNotEmpty();
      assertThat(max())
          .as("the victim's slowest mount (bound %s)", bound)
          .isLessThanOrEqualTo(bound);
    }

    @Override
    public String toString() {
      return latencies.size()
          + " mounts, p99 "
          + p99().toMillis()
          + " ms, max "
          + max().toMillis()
          + " ms, "
          + failures.size()
          + " failed"
          + (failures.isEmpty() ? "" : " (first: " + failures.get(0) + ")");
    }
  }
}
