// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * CPU time spent during measured Mounts, averaged per Mount, on each side of the socket: the
 * provider's process (and of that, its JIT compiler threads), and this JVM (the emulator, with its
 * TLS, and the client). With no injected latency a cold Mount's wall time is CPU on the machine's
 * cores, and this says whose. Mounts are measured one at a time, so a background refresh that falls
 * in the window is counted too.
 */
final class CpuPerMount {
  private final Path providerTasks;
  private final Path benchTasks = tasks(ProcessHandle.current().pid());
  private Sample providerBefore = Sample.NONE;
  private Sample benchBefore = Sample.NONE;
  private long providerTotal;
  private long providerJit;
  private long benchTotal;
  private int mounts;

  CpuPerMount(long providerPid) {
    this.providerTasks = tasks(providerPid);
  }

  void begin() {
    providerBefore = sample(providerTasks);
    benchBefore = sample(benchTasks);
  }

  void end() {
    benchTotal += sample(benchTasks).total() - benchBefore.total();
    Sample provider = sample(providerTasks);
    providerTotal += provider.total() - providerBefore.total();
    providerJit += provider.jit() - providerBefore.jit();
    mounts++;
  }

  /** Milliseconds of CPU per measured Mount, by side. */
  Map<String, Double> perMount() {
    return Map.of(
        "providerMs", millisPerMount(providerTotal),
        "providerJitMs", millisPerMount(providerJit),
        "benchMs", millisPerMount(benchTotal));
  }

  private double millisPerMount(long nanos) {
    return Math.round(nanos / 1e4 / Math.max(1, mounts)) / 100.0;
  }

  private static Path tasks(long pid) {
    return Path.of("/proc", Long.toString(pid), "task");
  }

  /** A process's CPU time in nanoseconds, all threads and its JIT compiler threads. */
  private record Sample(long total, long jit) {
    static final Sample NONE = new Sample(0, 0);
  }

  /**
   * Sums over a process's threads the first field of {@code /proc/PID/task/TID/schedstat} (time on
   * a CPU, in ns, unlike the 10 ms ticks of {@code stat} and of the JVM's process CPU time);
   * HotSpot names its compiler threads "C1 CompilerThread0" and so on. A thread that ends inside
   * the window loses its share; the provider's pools and the emulator's keep their threads.
   */
  private static Sample sample(Path processTasks) {
    long total = 0;
    long jit = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(processTasks)) {
      for (Path task : tasks) {
        try {
          String schedstat = Files.readString(task.resolve("schedstat"));
          long nanos = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
          total += nanos;
          String name = Files.readString(task.resolve("comm"));
          if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            jit += nanos;
          }
        } catch (NoSuchFileException ended) {
          // The thread ended between the listing and the read.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CPU time of " + processTasks, e);
    }
    return new Sample(total, jit);
  }
}
