// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ProviderFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The soak run by hand (docs/security.md), excluded from the normal test run by its tag: mixed
 * Mounts and rotations against every backend's emulator with faults injected, for {@code
 * -Dsoak.minutes} (default 30). Prints the outcomes by gRPC code, resident memory and threads over
 * time; fails on an unexpected code (INTERNAL, UNKNOWN) or a partial response.
 *
 * <pre>
 * ./mvnw -o -pl provider-dist -am verify -Dtest=SoakIT -Dsurefire.failIfNoSpecifiedTests=false -DexcludedGroups= -Dsoak.minutes=30
 * </pre>
 */
@Tag("soak")
class SoakIT {
  private static final List<String> NAMES = List.of("s1", "s2", "s3", "s4", "s5");
  private static final int WORKERS = 8;

  @Test
  void mixedMountsAndRotationsWithFaults() throws Exception {
    Duration length =
        Duration.ofSeconds(
            (long) (Double.parseDouble(System.getProperty("soak.minutes", "30")) * 60));
    Duration sample = Duration.ofSeconds(Math.max(10, length.toSeconds() / 12));
    List<ProviderUnderTest> providers = new ArrayList<>();
    Map<String, LongAdder> codes = new ConcurrentHashMap<>();
    LongAdder partial = new LongAdder();
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS + 1);
    try {
      for (CaseBook book : List.of(new VaultCases(), new AwsCases())) {
        ProviderUnderTest provider = ProviderUnderTest.start(book, ProviderFixture.FAST);
        NAMES.forEach(
            name -> book.put(provider.emulator, name, Canaries.SECRET + "-" + name + "-0"));
        providers.add(provider);
      }
      long end = System.nanoTime() + length.toNanos();
      for (int w = 0; w < WORKERS; w++) {
        workers.submit(
            () -> {
              while (System.nanoTime() < end) {
                ProviderUnderTest provider =
                    providers.get(ThreadLocalRandom.current().nextInt(providers.size()));
                List<String> names =
                    NAMES.subList(0, 1 + ThreadLocalRandom.current().nextInt(NAMES.size()));
                ProviderClient.MountCall call =
                    ProviderUnderTest.call(
                        provider.attributes(
                            provider.book.objects(
                                names.stream().map(provider.book::object).toArray(String[]::new))));
                String key = provider.book.backend() + " ";
                try {
                  MountReply reply = provider.mount(call);
                  if (reply.files().size() != names.size()
                      || reply.versions().size() != names.size()) {
                    partial.increment();
                  }
                  codes.computeIfAbsent(key + "OK", k -> new LongAdder()).increment();
                } catch (ProviderCallException e) {
                  codes.computeIfAbsent(key + e.code(), k -> new LongAdder()).increment();
                }
              }
              return null;
            });
      }
      workers.submit(
          () -> {
            int round = 0;
            while (System.nanoTime() < end) {
              round++;
              for (ProviderUnderTest provider : providers) {
                String name = NAMES.get(round % NAMES.size());
                provider.book.put(
                    provider.emulator, name, Canaries.SECRET + "-" + name + "-" + round);
                injectAFault(provider, round);
              }
              // A soak paces its churn by the wall clock: one rotation round a second.
              Thread.sleep(1000);
            }
            return null;
          });
      System.out.printf("%8s  %10s  %8s%n", "seconds", "RSS MiB", "threads");
      long start = System.nanoTime();
      while (System.nanoTime() < end) {
        // Sampling memory at wall-clock intervals is what the soak measures.
        Thread.sleep(
            Math.min(sample.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        System.out.printf(
            "%8d  %10.1f  %8d%n",
            (System.nanoTime() - start) / 1_000_000_000L, rssMiB(), Thread.activeCount());
      }
      workers.shutdown();
      assertThat(workers.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
    } finally {
      workers.shutdownNow();
      for (ProviderUnderTest provider : providers) {
        provider.close();
      }
    }
    System.out.println("outcomes by backend and code:");
    new java.util.TreeMap<>(codes)
        .forEach((code, count) -> System.out.printf("  %-28s %8d%n", code, count.sum()));
    assertThat(partial.sum()).as("partial responses").isZero();
    assertThat(codes.keySet())
        .noneMatch(code -> code.endsWith("INTERNAL") || code.endsWith("UNKNOWN"));
  }

  /** One fault of a rotating set, for a few calls: throttling, 503, latency, a reset. */
  private static void injectAFault(ProviderUnderTest provider, int round) {
    String operation = provider.book.readOperation();
    switch (round % 5) {
      case 0 ->
          provider.emulator.faults().inject(operation, Fault.throttled(Duration.ofSeconds(1)), 3);
      case 1 ->
          provider
              .emulator
              .faults()
              .inject(operation, Fault.error(503).withHeader("Retry-After", "1"), 2);
      case 2 ->
          provider.emulator.faults().inject(operation, Fault.latency(Duration.ofMillis(300)), 5);
      case 3 -> provider.emulator.faults().inject(operation, Fault.reset(), 1);
      default -> {}
    }
  }

  private static double rssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return -1;
  }
}
