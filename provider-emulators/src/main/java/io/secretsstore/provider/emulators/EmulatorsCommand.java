// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import io.secretsstore.provider.logging.LogSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Starts the emulators on the class path and serves until SIGTERM or Ctrl-C. */
@Command(
    name = "emulators",
    description = {
      "Start local stand-ins for the clouds (every emulator on the class path) and serve until Ctrl-C.",
      "With --seed, fill them from a YAML file (secrets with versions, identities with what they may read) and print,"
          + " per identity, a token file and the serve and mount command lines to test a SecretProviderClass."
    })
final class EmulatorsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "NAME",
      description = "Start only these emulators (default: all).")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--ca-file",
      paramLabel = "PATH",
      description =
          "Where to write the CA certificate clients must trust (default: a temporary file, deleted on exit).")
  Path caFile;

  @Option(
      names = "--set",
      paramLabel = "EMULATOR.KEY=VALUE",
      description = "A setting of one emulator, e.g. vault.http-port=8200.")
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(
      names = "--seed",
      paramLabel = "FILE",
      description =
          "YAML file of secrets and identities per cloud (vault, aws, gcp, azure) to seed the emulators with.")
  Path seedFile;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Where the CA, token files and sockets go, kept on exit (default: a temporary directory, deleted on exit).")
  Path workDir;

  @Option(
      names = "--exit-after-start",
      description = "Start, print the endpoints, stop and exit 0: a smoke test.")
  boolean exitAfterStart;

  @Option(
      names = "--log-format",
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "json or text (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Option(
      names = "--log-level",
      defaultValue = "info",
      paramLabel = "LEVEL",
      description = "trace, debug, info, warn or error (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Override
  public Integer call() throws IOException {
    LogSetup.configure(logFormat, logLevel);
    PrintWriter out = spec.commandLine().getOut();
    List<CloudEmulator> found = Emulators.discover();
    if (found.isEmpty()) {
      out.println("no emulators on the class path");
      out.flush();
      return 0;
    }
    List<CloudEmulator> chosen;
    try {
      chosen = Emulators.select(found, only);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, SeedNode> seeds = seeds(chosen);
    Path ownedDirectory =
        workDir == null && (caFile == null || seedFile != null)
            ? Files.createTempDirectory("secrets-store-emulators")
            : null;
    Path directory = workDir != null ? Files.createDirectories(workDir) : ownedDirectory;
    Path ca = caFile != null ? caFile : directory.resolve("ca.pem");
    EmulatorTls tls = EmulatorTls.generate();
    EmulatorOptions options = new EmulatorOptions(tls, tls.writeCaPem(ca), properties);
    RunningEmulators running;
    try {
      running = RunningEmulators.start(chosen, options, ownedDirectory);
    } catch (IOException e) {
      // Typically a port given with --set that is already taken; the message names the cause.
      spec.commandLine().getErr().println("cannot start the emulators: " + e);
      return 1;
    }
    running.print(out);
    if (!seeds.isEmpty()) {
      try {
        out.println();
        new SeededCommands(directory).print(running.seed(seeds), out);
      } catch (SeedNode.SeedException e) {
        running.close();
        throw new ParameterException(spec.commandLine(), "--seed: " + e.getMessage());
      }
    }
    if (exitAfterStart) {
      running.close();
      return 0;
    }
    serveUntilStopped(running, out);
    return 0;
  }

  /**
   * The seed file's section per emulator; refuses a cloud that is not among the emulators started.
   */
  private Map<String, SeedNode> seeds(List<CloudEmulator> chosen) throws IOException {
    if (seedFile == null) {
      return Map.of();
    }
    List<String> names = chosen.stream().map(CloudEmulator::name).toList();
    try {
      SeedNode root = SeedNode.read(seedFile);
      Map<String, SeedNode> sections = root.entries(new java.util.HashSet<>(names));
      if (sections.isEmpty()) {
        throw root.error("declares nothing; expected one of " + names);
      }
      return sections;
    } catch (SeedNode.SeedException e) {
      throw new ParameterException(spec.commandLine(), "--seed: " + e.getMessage());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), "--seed: no such file " + seedFile);
    }
  }

  /** Blocks until the JVM shuts down (SIGTERM, Ctrl-C) or this thread is interrupted. */
  private static void serveUntilStopped(RunningEmulators running, PrintWriter out) {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              running.close();
              stopped.countDown();
            },
            "emulators-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println();
    out.println("Serving; press Ctrl-C to stop.");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Whoever runs us in-process (a test, the demo) wants the emulators stopped.
      Thread.currentThread().interrupt();
    } finally {
      running.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook has run or is running.
      }
    }
  }
}
