// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.cli.Main;
import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.grpc.ProviderRuntime;
import io.secretsstore.provider.grpc.ProviderServer;
import io.secretsstore.provider.grpc.SocketPath;
import io.secretsstore.provider.metrics.MountObserver;
import io.secretsstore.provider.spi.BackendCalls;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.Backends;
import io.secretsstore.provider.spi.SecretBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One backend's part of the demo: provider up, two mounts through the driver emulator, the tree.
 */
final class DemoRun {
  private final DemoScenario scenario;
  private final CloudEmulator emulator;
  private final Path dir;
  private final PrintWriter out;

  DemoRun(DemoScenario scenario, CloudEmulator emulator, Path dir, PrintWriter out) {
    this.scenario = scenario;
    this.emulator = emulator;
    this.dir = dir;
    this.out = out;
  }

  /** Runs the demo of one backend; false when a mount failed (the reason is printed). */
  boolean run() throws Exception {
    Files.createDirectories(dir);
    out.println();
    out.println(
        "== " + scenario.backend() + " ==========================================================");
    BackendFactory factory = Backends.named(Backends.discover(), scenario.backend());
    applyFlags(factory);
    BackendContext context = BackendContext.standard(BackendCalls.NONE);
    try (SecretBackend backend = factory.start(context);
        ProviderRuntime provider =
            ProviderRuntime.start(
                backend,
                EngineSettings.DEFAULT,
                SocketPath.of(dir, backend.name()),
                FetchEvents.NONE,
                MountObserver.NONE,
                MountAuditor.NONE,
                4,
                Duration.ofSeconds(2),
                ProviderServer.DEFAULT_SOCKET_CHECK)) {
      out.println("provider  " + provider.socket() + " (mode 0700)");
      Path spc = Files.writeString(dir.resolve("spc.yaml"), scenario.secretProviderClass());
      List<String> args = mountArgs(provider.socket(), spc, dir.resolve("target"));
      out.println("mount     secrets-store-provider " + String.join(" ", args));
      long callsBefore = emulator.calls().total();
      long start = System.nanoTime();
      if (!mount(args, true)) {
        return false;
      }
      long cold = System.nanoTime() - start;
      long callsCold = emulator.calls().total() - callsBefore;
      start = System.nanoTime();
      if (!mount(args, false)) {
        return false;
      }
      long cached = System.nanoTime() - start;
      long callsCached = emulator.calls().total() - callsBefore - callsCold;
      out.printf(
          "first mount: %.1f ms, %d calls to the emulator; same pod again: %.1f ms, %d calls (served from the cache)%n",
          cold / 1e6, callsCold, cached / 1e6, callsCached);
      out.println("a pod would see (" + dir.resolve("target") + "):");
      new MountedTree(dir.resolve("target")).print(out);
      return true;
    } finally {
      context.kube().close();
    }
  }

  private void applyFlags(BackendFactory backend) {
    if (scenario.serveFlags().isEmpty()) {
      return;
    }
    Object options = backend.options();
    if (options == null) {
      throw new IllegalStateException(
          "the " + backend.name() + " backend takes no flags, but its demo sets some");
    }
    new CommandLine(CommandSpec.forAnnotatedObject(options))
        .parseArgs(scenario.serveFlags().toArray(String[]::new));
  }

  private List<String> mountArgs(Path socket, Path spc, Path target) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "mount",
                "--socket",
                socket.toString(),
                "--spc",
                spc.toString(),
                "--target",
                target.toString(),
                "--namespace",
                scenario.namespace(),
                "--service-account",
                scenario.serviceAccount()));
    for (Map.Entry<String, String> token : scenario.tokensByAudience().entrySet()) {
      Path file =
          Files.writeString(
              dir.resolve("token-" + token.getKey().replaceAll("[^A-Za-z0-9_.-]", "_")),
              token.getValue());
      args.addAll(List.of("--token", token.getKey() + "=" + file));
    }
    return args;
  }

  /** Runs the driver emulator; prints its table the first time, and any failure. */
  private boolean mount(List<String> args, boolean printTable) {
    StringWriter table = new StringWriter();
    StringWriter errors = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(table, true));
    cli.setErr(new PrintWriter(errors, true));
    int code = cli.execute(args.toArray(String[]::new));
    if (code != 0) {
      out.println("mount failed (exit " + code + "): " + errors.toString().strip());
      return false;
    }
    if (printTable) {
      out.print(table);
    }
    return true;
  }
}
