// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.fetch.MountLimits;
import io.secretsstore.provider.fetch.ResilienceSettings;
import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.mount.MountRequestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The mount engine's numbers, in process: a cold Mount of N objects against a backend latency L (as
 * a ratio to L), a Mount answered from the cache, and backend calls per poll interval while 110
 * pods of 5 identities republish every interval.
 */
@Command(
    name = "cache",
    description = "Benchmark the mount engine: cold and cached Mounts, and a rotation storm.")
final class CacheBenchmark implements Callable<Integer> {
  @Option(
      names = "--latency",
      defaultValue = "50",
      description = "Backend latency in ms (default: ${DEFAULT-VALUE}).")
  long latencyMillis;

  @Option(
      names = "--objects",
      defaultValue = "10",
      description = "Objects per Mount (default: ${DEFAULT-VALUE}).")
  int objects;

  @Option(
      names = "--interval",
      defaultValue = "2000",
      description = "Storm poll interval in ms (default: ${DEFAULT-VALUE}).")
  long intervalMillis;

  @Option(
      names = "--out",
      defaultValue = "provider-bench/target",
      description = "Directory for the JSON result (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("time", Instant.now().toString());
    results.put(
        "machine",
        Map.of(
            "cores",
            Runtime.getRuntime().availableProcessors(),
            "java",
            System.getProperty("java.version")));
    results.put("latencyMs", latencyMillis);
    results.put("objects", objects);

    LatencyBackend backend = new LatencyBackend(latencyMillis);
    try (MountEngine engine = new MountEngine(backend, EngineSettings.DEFAULT, FetchEvents.NONE)) {
      for (int i = 0; i < 20; i++) {
        engine.mount(request("warmup-" + i, 0), null);
      }
      List<Long> cold = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        cold.add(time(() -> engine.mount(request("cold-" + System.nanoTime(), 0), null)));
      }
      List<Long> cached = new ArrayList<>();
      MountRequestContext warm = request("cached", 0);
      engine.mount(warm, null);
      for (int i = 0; i < 5000; i++) {
        cached.add(time(() -> engine.mount(warm, null)));
      }
      Stats coldStats = Stats.of(cold);
      Stats cachedStats = Stats.of(cached);
      results.put("coldMount", coldStats);
      results.put("coldMountP50OverLatency", coldStats.p50Millis() / latencyMillis);
      results.put("coldMountP99OverLatency", coldStats.p99Millis() / latencyMillis);
      results.put("cachedMount", cachedStats);
      System.out.printf("%-28s %s%n", "cold Mount (" + objects + " objects)", coldStats);
      System.out.printf(
          "%-28s p50 %.2fx L, p99 %.2fx L (L = %d ms)%n",
          "  as a ratio to latency",
          coldStats.p50Millis() / latencyMillis,
          coldStats.p99Millis() / latencyMillis,
          latencyMillis);
      System.out.printf("%-28s %s%n", "cached Mount", cachedStats);
    }
    results.put("storm", storm());
    Files.createDirectories(out);
    Path file = out.resolve("bench-cache-" + System.currentTimeMillis() + ".json");
    JsonMappers.WRITER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), results);
    System.out.println("results: " + file);
    return 0;
  }

  /** 110 pods x N objects, 5 identities, republishing every interval for 5 intervals. */
  private Map<String, Object> storm() throws Exception {
    Duration interval = Duration.ofMillis(intervalMillis);
    Duration jitter = interval.dividedBy(4);
    CacheSettings cache =
        new CacheSettings(
            interval,
            jitter,
            interval.multipliedBy(3),
            interval.multipliedBy(5),
            64L << 20,
            10_000);
    LatencyBackend backend = new LatencyBackend(latencyMillis);
    ExecutorService pods = Executors.newFixedThreadPool(32);
    List<Long> callsPerInterval = new ArrayList<>();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    try (MountEngine engine =
        new MountEngine(
            backend,
            new EngineSettings(MountLimits.DEFAULT, cache, ResilienceSettings.DEFAULT, 32),
            FetchEvents.NONE)) {
      List<MountRequestContext> requests = new ArrayList<>();
      for (int p = 0; p < 110; p++) {
        requests.add(request("identity-" + (p % 5), p));
      }
      for (int round = 0; round < 5; round++) {
        long before = backend.calls();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> mounts = new ArrayList<>();
        for (MountRequestContext request : requests) {
          mounts.add(
              CompletableFuture.runAsync(
                  () -> latencies.add(time(() -> engine.mount(request, null))), pods));
        }
        mounts.forEach(CompletableFuture::join);
        Thread.sleep(
            Math.max(
                0, interval.toMillis() - Duration.ofNanos(System.nanoTime() - start).toMillis()));
        callsPerInterval.add(backend.calls() - before);
      }
    } finally {
      pods.shutdownNow();
    }
    Stats mountStats = Stats.of(latencies);
    System.out.printf(
        "%-28s %s (upstream design: %d)%n",
        "storm backend calls/interval", callsPerInterval, 110 * objects);
    System.out.printf("%-28s %s%n", "storm Mount latency", mountStats);
    Map<String, Object> storm = new LinkedHashMap<>();
    storm.put("pods", 110);
    storm.put("identities", 5);
    storm.put("intervalMs", intervalMillis);
    storm.put("backendCallsPerInterval", callsPerInterval);
    storm.put("upstreamCallsPerInterval", 110 * objects);
    storm.put("mount", mountStats);
    return storm;
  }

  private MountRequestContext request(String serviceAccount, int pod) {
    String attributes =
        "{\"objects\":\""
            + objects
            + "\","
            + "\"csi.storage.k8s.io/pod.name\":\"pod-"
            + pod
            + "\","
            + "\"csi.storage.k8s.io/pod.namespace\":\"bench\","
            + "\"csi.storage.k8s.io/pod.uid\":\"uid-"
            + pod
            + "\","
            + "\"csi.storage.k8s.io/serviceAccount.name\":\""
            + serviceAccount
            + "\"}";
    return MountRequestContext.parse(attributes, "null", "/t", "420", List.of());
  }

  private static long time(Runnable runnable) {
    long start = System.nanoTime();
    runnable.run();
    return System.nanoTime() - start;
  }
}
