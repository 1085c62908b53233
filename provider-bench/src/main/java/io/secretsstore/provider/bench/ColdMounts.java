// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.text.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenarios 3 and 3b of {@code run}: cold Mounts, one at a time, of fresh identities (a login, then
 * the objects) and of known ones (credentials cached, objects not), each with the backend calls and
 * the CPU time it took on each side of the socket.
 */
final class ColdMounts {
  private final ProviderClient client;
  private final PodMounts pods;
  private final CloudEmulator emulator;
  private final long providerPid;
  private final long latencyMillis;
  private final PrintWriter console;
  private final Map<String, Object> results;

  ColdMounts(
      ProviderClient client,
      PodMounts pods,
      CloudEmulator emulator,
      long providerPid,
      long latencyMillis,
      PrintWriter console,
      Map<String, Object> results) {
    this.client = client;
    this.pods = pods;
    this.emulator = emulator;
    this.providerPid = providerPid;
    this.latencyMillis = latencyMillis;
    this.console = console;
    this.results = results;
  }

  /** 3. Every sample is the first Mount of a fresh identity (login + fetch). */
  void fresh(List<DemoScenario> one, List<DemoScenario> ten) throws Exception {
    section(
        "3. cold Mount (fresh identity: one login, then the objects), L = "
            + latencyMillis
            + " ms");
    TextTable table =
        SocketBenchmark.table(
            "objects", "p50 ms", "p99 ms", "p50 / L", "p99 / L", "upstream by design");
    Map<String, Object> cold = new LinkedHashMap<>();
    for (List<DemoScenario> scenarios : List.of(one, ten)) {
      int objects = scenarios == one ? 1 : 10;
      List<Long> samples = new ArrayList<>();
      BackendCalls calls = new BackendCalls(emulator.calls());
      CpuPerMount cpu = new CpuPerMount(providerPid);
      for (DemoScenario scenario : scenarios) {
        samples.add(measure(pods.publish(scenario, 0), calls, cpu));
      }
      Stats stats = Stats.of(samples);
      cold.put(objects + " objects", summary(stats, calls, cpu));
      console.println(
          objects + " objects, fresh: backend calls per Mount by operation " + calls.perMount());
      console.println(objects + " objects, fresh: CPU ms per Mount " + cpu.perMount());
      table.add(
          Integer.toString(objects),
          SocketBenchmark.ms(stats.p50Millis()),
          SocketBenchmark.ms(stats.p99Millis()),
          SocketBenchmark.ratio(stats.p50Millis() / latencyMillis),
          SocketBenchmark.ratio(stats.p99Millis() / latencyMillis),
          (objects + 1) + " x L (login + sequential reads)");
    }
    results.put("cold", cold);
    table.print(console);
  }

  /**
   * 3b. Cold Mounts of a known identity: a new pod of an identity that is already logged in (its
   * credentials cached, its connections warm) mounting 10 objects that are not cached yet. Each
   * sample's identity first mounts 10 other objects of its scenario (not measured).
   */
  void known(List<DemoScenario> twenty) throws Exception {
    section(
        "3b. cold Mount, known identity (credentials cached, 10 objects not cached), L = "
            + latencyMillis
            + " ms");
    List<Long> samples = new ArrayList<>();
    BackendCalls calls = new BackendCalls(emulator.calls());
    CpuPerMount cpu = new CpuPerMount(providerPid);
    for (DemoScenario scenario : twenty) {
      DemoScenario[] halves = halves(scenario);
      client.mount(pods.publish(halves[0], 0), SocketBenchmark.CALL_TIMEOUT);
      samples.add(measure(pods.publish(halves[1], 1), calls, cpu));
    }
    Stats stats = Stats.of(samples);
    Map<String, Object> known = new LinkedHashMap<>(Map.of("objects", 10));
    known.putAll(summary(stats, calls, cpu));
    results.put("coldKnownIdentity", known);
    console.println("10 objects, known: backend calls per Mount by operation " + calls.perMount());
    console.println("10 objects, known: CPU ms per Mount " + cpu.perMount());
    SocketBenchmark.table("objects", "p50 ms", "p99 ms", "p50 / L", "p99 / L", "floor")
        .add(
            "10",
            SocketBenchmark.ms(stats.p50Millis()),
            SocketBenchmark.ms(stats.p99Millis()),
            SocketBenchmark.ratio(stats.p50Millis() / latencyMillis),
            SocketBenchmark.ratio(stats.p99Millis() / latencyMillis),
            "1 x L (one parallel round of reads)")
        .print(console);
  }

  /**
   * A load scenario's SecretProviderClass split in two: the same identity and parameters, the first
   * and the second half of its objects. Every emulator writes the objects last, one list entry per
   * object, each starting with a {@code "- "} line.
   */
  static DemoScenario[] halves(DemoScenario scenario) {
    String[] lines = scenario.secretProviderClass().split("\n", -1);
    int first = -1;
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].strip().startsWith("- ")) {
        starts.add(i);
        first = first < 0 ? i : first;
      }
    }
    if (starts.size() < 2) {
      throw new IllegalArgumentException(
          "the " + scenario.backend() + " load scenario has fewer than 2 objects");
    }
    int middle = starts.get(starts.size() / 2);
    String header = String.join("\n", List.of(lines).subList(0, first)) + "\n";
    String firstHalf = header + String.join("\n", List.of(lines).subList(first, middle)) + "\n";
    String secondHalf = header + String.join("\n", List.of(lines).subList(middle, lines.length));
    return new DemoScenario[] {withSpc(scenario, firstHalf), withSpc(scenario, secondHalf)};
  }

  private static DemoScenario withSpc(DemoScenario scenario, String secretProviderClass) {
    return new DemoScenario(
        scenario.backend(),
        scenario.serveFlags(),
        secretProviderClass,
        scenario.namespace(),
        scenario.serviceAccount(),
        scenario.tokensByAudience());
  }

  /** A row's result for the JSON file: the Mount times, as multiples of L, its calls and CPU. */
  private Map<String, Object> summary(Stats stats, BackendCalls calls, CpuPerMount cpu) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mount", stats);
    summary.put("p50OverL", stats.p50Millis() / latencyMillis);
    summary.put("p99OverL", stats.p99Millis() / latencyMillis);
    summary.put("backendCallsPerMount", calls.perMount());
    summary.put("cpuPerMount", cpu.perMount());
    return summary;
  }

  /** One measured Mount: its wall time in ns, its backend calls and its CPU on each side. */
  private long measure(ProviderClient.MountCall call, BackendCalls calls, CpuPerMount cpu) {
    calls.begin();
    cpu.begin();
    long start = System.nanoTime();
    client.mount(call, SocketBenchmark.CALL_TIMEOUT);
    long elapsed = System.nanoTime() - start;
    cpu.end();
    calls.end();
    return elapsed;
  }

  private void section(String title) {
    console.println();
    console.println(title);
  }
}
