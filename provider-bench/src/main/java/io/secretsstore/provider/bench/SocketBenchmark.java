// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.Emulators;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.text.TextTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The scenarios of the performance report, end to end: the cloud's emulator in this JVM with a
 * latency L on every call, the cloud's distribution as a separate process on a temporary socket,
 * and driver-shaped MountRequests over that socket.
 */
@Command(
    name = "run",
    description = "Run every scenario against one cloud's distribution and emulator.")
final class SocketBenchmark implements Callable<Integer> {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final int STORM_PODS = 110;
  private static final int STORM_IDENTITIES = 5;

  @Option(
      names = "--cloud",
      defaultValue = "vault",
      description = "aws, azure, gcp or vault (default: ${DEFAULT-VALUE}).")
  String cloud;

  @Option(
      names = "--dist",
      description =
          "The distribution (default: provider-dist/target/secrets-store-provider-<cloud>).")
  Path distribution;

  @Option(
      names = "--latency",
      defaultValue = "50",
      description = "Backend latency L in ms on every emulator call (default: ${DEFAULT-VALUE}).")
  long latencyMillis;

  @Option(
      names = "--latency-added",
      description =
          "The emulator waits L and then does its own work (signatures, tokens, rendering), so a"
              + " call takes L plus that work, as in the passes before the fifth. By default a call"
              + " is answered L after it arrived, that work inside L, as a real backend's time is.")
  boolean latencyAdded;

  @Option(
      names = "--cold-samples",
      defaultValue = "20",
      description = "Cold Mounts per object count (default: ${DEFAULT-VALUE}).")
  int coldSamples;

  @Option(
      names = "--throughput-seconds",
      defaultValue = "10",
      description = "Seconds per client count (default: ${DEFAULT-VALUE}).")
  int throughputSeconds;

  @Option(
      names = "--storm-interval",
      defaultValue = "10",
      description = "Rotation poll interval of the storm in s (default: ${DEFAULT-VALUE}).")
  int stormIntervalSeconds;

  @Option(
      names = "--storm-intervals",
      defaultValue = "4",
      description = "Intervals the storm lasts (default: ${DEFAULT-VALUE}).")
  int stormIntervals;

  @Option(
      names = "--load-clients",
      defaultValue = "50",
      description = "Clients of the sustained footprint load (default: ${DEFAULT-VALUE}).")
  int loadClients;

  @Option(
      names = "--load-seconds",
      defaultValue = "60",
      description = "Seconds of the sustained footprint load (default: ${DEFAULT-VALUE}).")
  int loadSeconds;

  @Option(
      names = "--kube-service-accounts",
      defaultValue = "0",
      description =
          "Service accounts the provider's Kubernetes API holds, as in a large cluster (default: ${DEFAULT-VALUE}).")
  int kubeServiceAccounts;

  @Option(
      names = "--scenarios",
      split = ",",
      defaultValue = "floor,cold,throughput,storm,footprint",
      description = "Scenarios to run, comma-separated (default: ${DEFAULT-VALUE}).")
  Set<String> scenarios;

  @Option(
      names = "--provider-log-level",
      defaultValue = "warn",
      description =
          "The provider's --log-level; its output is kept beside the JSON result (default: ${DEFAULT-VALUE}).")
  String providerLogLevel;

  @Option(
      names = "--out",
      defaultValue = "provider-bench/target",
      description = "Directory for the JSON result (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--provider-flag",
      paramLabel = "FLAG",
      description =
          "An extra flag for the provider's serve, e.g. --provider-flag=--grpc-threads=8 (repeatable).")
  List<String> providerFlags = List.of();

  private final PrintWriter console = new PrintWriter(System.out, true);
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final long runId = System.currentTimeMillis();

  @Override
  public Integer call() throws Exception {
    Path dist =
        distribution != null
            ? distribution
            : Path.of("provider-dist/target/secrets-store-provider-" + cloud);
    Path work = Files.createTempDirectory("bench-");
    results.put("time", Instant.now().toString());
    results.put("cloud", cloud);
    results.put(
        "machine",
        Map.of(
            "cores",
            Runtime.getRuntime().availableProcessors(),
            "java",
            System.getProperty("java.version"),
            "os",
            System.getProperty("os.name") + " " + System.getProperty("os.version")));
    results.put("latencyMs", latencyMillis);
    results.put("latencyModel", latencyAdded ? "added" : "response-time");
    results.put("benchJit", RigJvm.describe());
    CloudEmulator emulator = Emulators.select(Emulators.discover(), List.of(cloud)).get(0);
    try (emulator;
        KubeApi kube = new KubeApi(kubeServiceAccounts)) {
      StartedEmulator started = emulator.start(EmulatorOptions.create(work.resolve("ca.pem")));
      List<DemoScenario> cold1 = emulator.load(started, 1, coldSamples);
      if (cold1.isEmpty()) {
        throw new IllegalArgumentException("the " + cloud + " emulator has no load scenarios");
      }
      List<DemoScenario> cold10 = emulator.load(started, 10, coldSamples);
      List<DemoScenario> cold20 = emulator.load(started, 20, coldSamples);
      List<DemoScenario> warm = emulator.load(started, 10, 8);
      List<DemoScenario> storm = emulator.load(started, 10, STORM_IDENTITIES);
      PodMounts pods = new PodMounts(work);
      Duration interval = Duration.ofSeconds(stormIntervalSeconds);
      List<String> flags = new ArrayList<>(cold1.get(0).serveFlags());
      flags.addAll(
          List.of(
              "--rotation-poll-interval=" + interval.toSeconds() + "s",
              "--rotation-poll-jitter=" + Math.max(1, interval.toSeconds() / 5) + "s",
              "--cache-freshness=" + interval.toSeconds() * 3 + "s",
              "--log-level=" + providerLogLevel));
      flags.addAll(providerFlags);
      results.put("providerFlags", providerFlags);
      // The launcher's JVM flags are its defaults unless these replace or extend them.
      results.put("javaOpts", Objects.toString(System.getenv("JAVA_OPTS"), "launcher defaults"));
      results.put("javaOptsExtra", Objects.toString(System.getenv("JAVA_OPTS_EXTRA"), ""));
      Files.createDirectories(work.resolve("sockets"));
      Files.createDirectories(out);
      Path providerOutput = out.resolve("bench-" + cloud + "-" + runId + "-provider.log");
      results.put("providerOutput", providerOutput.toString());
      try (ProviderProcess provider =
              ProviderProcess.start(
                  dist, cloud, work.resolve("sockets"), providerOutput, flags, kube.environment());
          ProviderClient client = ProviderClient.connect(provider.socket())) {
        Thread.sleep(3000);
        ProviderProcess.Memory idle = provider.memory();
        double floor = floor(client);
        emulator.faults().inject(FaultPlan.ANY_OPERATION, latency());
        // The storm runs first, on an empty cache: every object cached by another scenario would be
        // refreshed in the background too and counted among the storm's backend calls.
        if (scenarios.contains("storm")) {
          storm(client, pods, storm, emulator, interval, kube);
        } else {
          // Otherwise one identity's Mounts load the classes of a first Mount (TLS, the backend's
          // client) before the cold Mounts are measured.
          for (int pod = 0; pod < 20; pod++) {
            client.mount(pods.publish(storm.get(0), pod), CALL_TIMEOUT);
          }
        }
        if (scenarios.contains("cold")) {
          ColdMounts cold =
              new ColdMounts(
                  client, pods, emulator, provider.pid(), latencyMillis, console, results);
          cold.fresh(cold1, cold10);
          cold.known(cold20);
        }
        if (scenarios.contains("throughput")) {
          throughput(client, pods, warm, floor);
        }
        if (scenarios.contains("footprint")) {
          footprint(client, pods, storm, provider, idle);
        }
      }
      results.put("kube", kube.counts());
      console.println("Kubernetes API (service accounts): " + kube.counts());
    }
    Path file = out.resolve("bench-" + cloud + "-" + runId + ".json");
    JsonMappers.WRITER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), results);
    console.println("results: " + file);
    return 0;
  }

  /**
   * The latency L on every emulator call, as {@code --latency-added} says it relates to the work.
   */
  private Fault latency() {
    Duration latency = Duration.ofMillis(latencyMillis);
    return latencyAdded ? Fault.latency(latency) : Fault.responseTime(latency);
  }

  /** 1. The physical limit of this stack: Version over the socket. */
  private double floor(ProviderClient client) {
    for (int i = 0; i < 500; i++) {
      client.version(CALL_TIMEOUT);
    }
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      long start = System.nanoTime();
      client.version(CALL_TIMEOUT);
      samples.add(System.nanoTime() - start);
    }
    Stats stats = Stats.of(samples);
    results.put("floor", stats);
    section("1. floor: Version over the socket");
    table("calls", "p50 ms", "p99 ms")
        .add(Integer.toString(stats.count()), ms(stats.p50Millis()), ms(stats.p99Millis()))
        .print(console);
    return stats.p50Millis();
  }

  /** 3. Cached republish: 1, 8 and 64 clients, each its own pod, Mounts answered from the cache. */
  private void throughput(
      ProviderClient client, PodMounts pods, List<DemoScenario> identities, double floorMillis)
      throws Exception {
    section("4. cached republish (10 objects per Mount), " + throughputSeconds + " s per row");
    TextTable table = table("clients", "Mounts/s", "p50 ms", "p99 ms", "p50 / floor", "failed");
    List<Object> rows = new ArrayList<>();
    for (int clients : List.of(1, 8, 64)) {
      List<ProviderClient.MountCall> calls = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        ProviderClient.MountCall call = pods.publish(identities.get(c % identities.size()), c);
        client.mount(call, CALL_TIMEOUT);
        calls.add(call);
      }
      ConcurrentMounts.Result result =
          ConcurrentMounts.run(client, calls, Duration.ofSeconds(throughputSeconds));
      rows.add(Map.of("result", result, "p50OverFloor", result.mount().p50Millis() / floorMillis));
      table.add(
          Integer.toString(clients),
          String.format("%.0f", result.mountsPerSecond()),
          ms(result.mount().p50Millis()),
          ms(result.mount().p99Millis()),
          ratio(result.mount().p50Millis() / floorMillis),
          Long.toString(result.failures()));
    }
    results.put("throughput", rows);
    table.print(console);
  }

  /**
   * 4. Rotation storm: 110 pods x 10 objects x 5 identities republishing at the start of every
   * interval, from an empty cache (the first interval is cold).
   */
  private void storm(
      ProviderClient client,
      PodMounts pods,
      List<DemoScenario> identities,
      CloudEmulator emulator,
      Duration interval,
      KubeApi kube)
      throws Exception {
    section(
        "2. rotation storm: "
            + STORM_PODS
            + " pods x 10 objects x "
            + STORM_IDENTITIES
            + " identities, interval "
            + interval.toSeconds()
            + " s");
    List<ProviderClient.MountCall> calls = new ArrayList<>();
    for (int pod = 0; pod < STORM_PODS; pod++) {
      calls.add(pods.publish(identities.get(pod % identities.size()), pod));
    }
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Long> callsPerInterval = new ArrayList<>();
    List<Long> kubeGetsPerInterval = new ArrayList<>();
    List<Double> elapsedSeconds = new ArrayList<>();
    long failures = 0;
    Map<String, Long> operationsBefore = emulator.calls().snapshot();
    ExecutorService driver = Executors.newFixedThreadPool(32);
    try {
      for (int round = 0; round < stormIntervals; round++) {
        long before = emulator.calls().total();
        long kubeBefore = kube.gets();
        long start = System.nanoTime();
        List<CompletableFuture<Boolean>> mounts = new ArrayList<>();
        for (ProviderClient.MountCall call : calls) {
          mounts.add(
              CompletableFuture.supplyAsync(
                  () -> {
                    long t = System.nanoTime();
                    try {
                      client.mount(call, CALL_TIMEOUT);
                      latencies.add(System.nanoTime() - t);
                      return true;
                    } catch (RuntimeException e) {
                      return false;
                    }
                  },
                  driver));
        }
        for (CompletableFuture<Boolean> mount : mounts) {
          failures += mount.join() ? 0 : 1;
        }
        Thread.sleep(Math.max(0, interval.toMillis() - (System.nanoTime() - start) / 1_000_000));
        callsPerInterval.add(emulator.calls().total() - before);
        kubeGetsPerInterval.add(kube.gets() - kubeBefore);
        // An interval lasts longer than the poll interval when the storm's Mounts take longer.
        elapsedSeconds.add((System.nanoTime() - start) / 1e9);
      }
    } finally {
      driver.shutdownNow();
    }
    Map<String, Long> operations = new LinkedHashMap<>();
    emulator
        .calls()
        .snapshot()
        .forEach(
            (operation, count) -> {
              long delta = count - operationsBefore.getOrDefault(operation, 0L);
              if (delta > 0) {
                operations.put(operation, delta);
              }
            });
    Stats stats = Stats.of(latencies);
    int distinctPairs = STORM_IDENTITIES * 10;
    results.put(
        "storm",
        Map.of(
            "pods",
            STORM_PODS,
            "identities",
            STORM_IDENTITIES,
            "intervalSeconds",
            interval.toSeconds(),
            "backendCallsPerInterval",
            callsPerInterval,
            "intervalElapsedSeconds",
            elapsedSeconds,
            "distinctIdentityObjectPairs",
            distinctPairs,
            "upstreamCallsPerInterval",
            STORM_PODS * 10,
            "backendCallsByOperation",
            operations,
            "mount",
            stats,
            "failures",
            failures));
    results.put("stormKubeGetsPerInterval", kubeGetsPerInterval);
    TextTable perInterval =
        table(
            "interval",
            "lasted s",
            "backend calls",
            "target (distinct pairs)",
            "upstream by design",
            "Kubernetes GETs");
    for (int i = 0; i < callsPerInterval.size(); i++) {
      perInterval.add(
          Integer.toString(i + 1),
          String.format("%.1f", elapsedSeconds.get(i)),
          Long.toString(callsPerInterval.get(i)),
          "<= " + distinctPairs,
          Integer.toString(STORM_PODS * 10),
          Long.toString(kubeGetsPerInterval.get(i)));
    }
    perInterval.print(console);
    console.println("backend calls by operation: " + operations);
    table("Mounts", "p50 ms", "p99 ms", "failed")
        .add(
            Integer.toString(stats.count()),
            ms(stats.p50Millis()),
            ms(stats.p99Millis()),
            Long.toString(failures))
        .print(console);
  }

  /** 5. Footprint: start-up, RSS idle and peak under a sustained load, threads. */
  private void footprint(
      ProviderClient client,
      PodMounts pods,
      List<DemoScenario> identities,
      ProviderProcess provider,
      ProviderProcess.Memory idle)
      throws Exception {
    section("5. footprint: " + loadClients + " clients for " + loadSeconds + " s");
    List<ProviderClient.MountCall> calls = new ArrayList<>();
    for (int c = 0; c < loadClients; c++) {
      calls.add(pods.publish(identities.get(c % identities.size()), 1000 + c));
    }
    List<ProviderProcess.Memory> samples = Collections.synchronizedList(new ArrayList<>());
    Thread sampler =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  samples.add(provider.memory());
                  Thread.sleep(1000);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
    ConcurrentMounts.Result load =
        ConcurrentMounts.run(client, calls, Duration.ofSeconds(loadSeconds));
    sampler.interrupt();
    sampler.join();
    ProviderProcess.Memory after = provider.memory();
    double maxRss =
        samples.stream().mapToDouble(ProviderProcess.Memory::rssMib).max().orElse(after.rssMib());
    int maxThreads =
        samples.stream().mapToInt(ProviderProcess.Memory::threads).max().orElse(after.threads());
    results.put(
        "footprint",
        Map.of(
            "startupMillis",
            provider.startup().toMillis(),
            "idle",
            idle,
            "underLoadMaxRssMib",
            maxRss,
            "peakRssMib",
            after.peakRssMib(),
            "maxThreads",
            maxThreads,
            "load",
            load));
    table(
            "start-up to socket",
            "RSS idle MiB",
            "RSS under load MiB (max)",
            "peak RSS MiB (VmHWM)",
            "threads idle / max",
            "Mounts/s",
            "failed")
        .add(
            provider.startup().toMillis() + " ms",
            mib(idle.rssMib()),
            mib(maxRss),
            mib(after.peakRssMib()),
            idle.threads() + " / " + maxThreads,
            String.format("%.0f", load.mountsPerSecond()),
            Long.toString(load.failures()))
        .print(console);
  }

  void section(String title) {
    console.println();
    console.println(title);
  }

  static TextTable table(String... header) {
    return new TextTable(header);
  }

  static String ms(double millis) {
    return String.format("%.2f", millis);
  }

  static String ratio(double ratio) {
    return String.format("%.2f x", ratio);
  }

  private static String mib(double mib) {
    return String.format("%.1f", mib);
  }
}
