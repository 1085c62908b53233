// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.Emulators;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.logging.LogSetup;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.Backends;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The demo: starts every cloud emulator on the class path, a provider for each backend on a
 * temporary socket, mounts the emulator's sample SecretProviderClass through the driver emulator,
 * and prints what a pod would see; then mounts again to show the answer coming from the cache.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Show each backend end to end on this machine: emulator, provider, driver emulator, files.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "BACKEND",
      description = "Only these backends.")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--keep",
      description = "Keep the temporary directory (sockets, SecretProviderClasses, mounted files).")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    LogSetup.configure(LogSetup.Format.text, "warn");
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory(Path.of("/tmp"), "ssp-demo");
    int shown = 0;
    int failed = 0;
    List<String> available = Backends.discover().stream().map(BackendFactory::name).toList();
    try {
      EmulatorOptions options = EmulatorOptions.create(work.resolve("emulator-ca.pem"));
      for (CloudEmulator emulator : Emulators.discover()) {
        try (emulator) {
          StartedEmulator started = emulator.start(options);
          Optional<DemoScenario> scenario = emulator.demo(started);
          if (scenario.isEmpty() || (!only.isEmpty() && !only.contains(scenario.get().backend()))) {
            continue;
          }
          if (!available.contains(scenario.get().backend())) {
            // An emulator can land before its backend; the demo shows what can be mounted.
            out.println(
                "(skipping "
                    + scenario.get().backend()
                    + ": its emulator is here, its backend is not yet)");
            continue;
          }
          shown++;
          if (!new DemoRun(scenario.get(), emulator, work.resolve(scenario.get().backend()), out)
              .run()) {
            failed++;
          }
        }
      }
    } finally {
      out.println();
      if (keep) {
        out.println(
            "kept "
                + work
                + ": the SecretProviderClasses, tokens and mounted files (the demo's providers have stopped,"
                + " so its mount lines no longer connect).");
      } else {
        deleteTree(work);
        out.println(
            "removed "
                + work
                + " with its sockets, tokens and mounted files; run the demo with --keep to keep them.");
      }
      out.println(
          "To mount your own SecretProviderClass against seeded emulators, see docs/local-testing.md (emulators --seed).");
    }
    if (shown == 0) {
      spec.commandLine()
          .getErr()
          .println(
              "error: no backend with a demo is on the class path"
                  + (only.isEmpty() ? "" : " among " + only));
      return 1;
    }
    out.println(
        failed == 0
            ? "demo finished: " + shown + " backend(s) mounted"
            : "demo finished with " + failed + " failure(s)");
    out.flush();
    return failed == 0 ? 0 : 1;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
