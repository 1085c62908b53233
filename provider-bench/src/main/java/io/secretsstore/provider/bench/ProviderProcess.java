// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One cloud's distribution started as a DaemonSet would start it ({@code bin/secrets-store-provider
 * serve}), with its start-up time to socket ready and its memory read from {@code /proc}. What it
 * prints goes to a file that is kept for inspection.
 */
final class ProviderProcess implements AutoCloseable {
  private final Process process;
  private final Path socket;
  private final Duration startup;

  private ProviderProcess(Process process, Path socket, Duration startup) {
    this.process = process;
    this.socket = socket;
    this.startup = startup;
  }

  /**
   * Starts {@code serve --backend} from the distribution with {@code environment} added to this
   * process's, and waits until its socket exists.
   */
  static ProviderProcess start(
      Path distribution,
      String backend,
      Path socketDir,
      Path output,
      List<String> flags,
      Map<String, String> environment)
      throws IOException, InterruptedException {
    Path launcher = distribution.resolve("bin/secrets-store-provider");
    if (!Files.isExecutable(launcher)) {
      throw new IllegalArgumentException(
          "no distribution at " + distribution + " (build it with ./mvnw -DskipTests package)");
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                launcher.toString(),
                "serve",
                "--backend",
                backend,
                "--socket-dir",
                socketDir.toString(),
                "--health-addr",
                "127.0.0.1:" + freePort(),
                "--metrics-addr",
                "127.0.0.1:" + freePort(),
                "--log-format",
                "text"));
    command.addAll(flags);
    Path socket = socketDir.resolve(backend + ".sock");
    long start = System.nanoTime();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    long deadline = start + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(socket)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "serve did not create its socket; output:\n" + Files.readString(output));
      }
      Thread.sleep(2);
    }
    return new ProviderProcess(process, socket, Duration.ofNanos(System.nanoTime() - start));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  Path socket() {
    return socket;
  }

  Duration startup() {
    return startup;
  }

  long pid() {
    return process.pid();
  }

  /** VmRSS, VmHWM (peak RSS) and thread count of the provider's JVM, from /proc/PID/status. */
  Memory memory() throws IOException {
    long rss = 0;
    long peak = 0;
    int threads = 0;
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = kibibytes(line);
      } else if (line.startsWith("VmHWM:")) {
        peak = kibibytes(line);
      } else if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.substring("Threads:".length()).strip());
      }
    }
    return new Memory(rss / 1024.0, peak / 1024.0, threads);
  }

  private static long kibibytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Resident memory in MiB and the JVM's thread count. */
  record Memory(double rssMib, double peakRssMib, int threads) {}
}
