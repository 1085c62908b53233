// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.cli.Main;
import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.vault.VaultEmulator;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ServeProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code conformance} command against the real {@code serve} process of the Vault backend and
 * its emulator's demo SecretProviderClass: every one of the 16 checks passes, for both driver
 * releases, and nothing secret is printed.
 */
class ConformanceCommandIT {
  @TempDir Path dir;

  @Test
  void conformance_againstServeWithTheVaultEmulator_passesAllChecks() throws Exception {
    try (CloudEmulator vault = new VaultEmulator()) {
      StartedEmulator started = vault.start(EmulatorOptions.create(dir.resolve("ca.pem")));
      DemoScenario demo = vault.demo(started).orElseThrow();
      Path socketDir = Files.createTempDirectory(Path.of("/tmp"), "cc");
      List<String> args =
          new ArrayList<>(
              List.of(
                  "conformance",
                  "--provider-name",
                  "vault",
                  "--spc",
                  Files.writeString(dir.resolve("spc.yaml"), demo.secretProviderClass()).toString(),
                  "--namespace",
                  demo.namespace(),
                  "--service-account",
                  demo.serviceAccount()));
      for (Map.Entry<String, String> token : demo.tokensByAudience().entrySet()) {
        args.addAll(
            List.of(
                "--token",
                token.getKey() + "=" + Files.writeString(dir.resolve("token"), token.getValue())));
      }
      try (ServeProcess serve =
          ServeProcess.start("vault", socketDir, demo.serveFlags().toArray(String[]::new))) {
        args.addAll(List.of("--socket", serve.socket().toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args.toArray(String[]::new));
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString())
            .contains("driver [v1.6, v1.5]")
            .contains("15 passed, 0 warned, 0 failed, 1 skipped")
            .containsPattern("12 +secretObjects name returned paths +skip");
        String[] secrets = demo.tokensByAudience().values().toArray(String[]::new);
        LogCapture.assertNoCanaryIn(out + "\n" + err + "\n" + serve.output(), secrets);
      } finally {
        ServeProcesses.deleteTree(socketDir);
      }
    }
  }
}
