// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import io.secretsstore.provider.grpc.ProviderClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that each republish their own pod's Mount back to back for a while, as kubelet's
 * NodePublish retries and the driver's rotation reconciler do, and what they measured.
 */
final class ConcurrentMounts {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private ConcurrentMounts() {}

  /** Runs one client per call for the duration; client i sends calls[i]. */
  static Result run(ProviderClient client, List<ProviderClient.MountCall> calls, Duration duration)
      throws Exception {
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicLong failures = new AtomicLong();
    ExecutorService clients = Executors.newFixedThreadPool(calls.size());
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (ProviderClient.MountCall call : calls) {
        running.add(
            clients.submit(
                () -> {
                  List<Long> mine = new ArrayList<>();
                  while (System.nanoTime() < end) {
                    long before = System.nanoTime();
                    try {
                      client.mount(call, CALL_TIMEOUT);
                      mine.add(System.nanoTime() - before);
                    } catch (RuntimeException e) {
                      failures.incrementAndGet();
                    }
                  }
                  latencies.addAll(mine);
                  return null;
                }));
      }
      for (Future<?> future : running) {
        future.get();
      }
    } finally {
      clients.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(
        calls.size(), Stats.of(latencies), latencies.size() / seconds, failures.get());
  }

  /**
   * @param clients concurrent clients
   * @param mount Mount latency
   * @param mountsPerSecond completed Mounts per second, all clients together
   * @param failures Mounts that failed
   */
  record Result(int clients, Stats mount, double mountsPerSecond, long failures) {}
}
