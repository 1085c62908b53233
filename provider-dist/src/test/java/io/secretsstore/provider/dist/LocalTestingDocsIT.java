// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.cli.Main;
import io.secretsstore.provider.driver.AtomicWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * docs/local-testing.md, followed to the letter for each cloud: {@code emulators --seed} with the
 * doc's seed file, then the {@code serve} line it prints run as its own process, then the {@code
 * mount} line it prints with the doc's SecretProviderClass; the pod's files hold the current
 * versions the seed file declared.
 */
class LocalTestingDocsIT {
  private static final Path DOCS =
      Path.of("..", "docs", "local-testing").toAbsolutePath().normalize();

  /**
   * The files each walkthrough's SecretProviderClass mounts, with what they contain: the seed's
   * current versions.
   */
  private static final Map<String, Map<String, String>> EXPECTED =
      Map.of(
          "vault",
              Map.of(
                  "db-password",
                  "rotated-password",
                  "config.json",
                  "\"data\":{\"log_level\":\"info\"}"),
          "aws",
              Map.of(
                  "db-password",
                  "rotated-password",
                  "api-key",
                  "key-2",
                  "team-a_db",
                  "\"password\":\"rotated-password\""),
          "gcp", Map.of("db-password", "rotated-password", "api-key", "key-1"),
          "azure",
              Map.of(
                  "db-password",
                  "rotated-password",
                  "web-tls",
                  "-----BEGIN CERTIFICATE-----",
                  "signing-key",
                  "-----BEGIN PUBLIC KEY-----"));

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"vault", "aws", "gcp", "azure"})
  void theWalkthroughsSeedFileAndSecretProviderClass_mountWithThePrintedCommands(String cloud)
      throws Exception {
    Path work = Files.createTempDirectory("local-testing-" + cloud);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Thread emulators =
        new Thread(
            () -> {
              CommandLine cli = Main.commandLine();
              cli.setOut(new PrintWriter(out, true));
              cli.setErr(new PrintWriter(err, true));
              cli.execute(
                  "emulators",
                  "--only",
                  cloud,
                  "--seed",
                  DOCS.resolve(cloud + "-seed.yaml").toString(),
                  "--work-dir",
                  work.toString());
            },
            "emulators-" + cloud);
    emulators.start();
    Process serve = null;
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .alias("emulators serving")
          .until(
              () -> {
                assertThat(emulators.isAlive()).as("emulators stopped: %s %s", out, err).isTrue();
                return out.toString().contains("Serving; press Ctrl-C");
              });
      List<String> serveLine = printed(out.toString(), "  serve: ");
      List<String> mountLine = printed(out.toString(), "  mount: ");
      assertThat(serveLine.subList(0, 2)).containsExactly("secrets-store-provider", "serve");

      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName()));
      command.addAll(serveLine.subList(1, serveLine.size()));
      Path log = work.resolve("serve.log");
      serve =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Path socket = Path.of(mountLine.get(mountLine.indexOf("--socket") + 1));
      Process started = serve;
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .alias("the socket")
          .until(
              () -> {
                assertThat(started.isAlive())
                    .as("serve exited: %s", Files.readString(log))
                    .isTrue();
                return Files.exists(socket);
              });

      List<String> mount = new ArrayList<>(mountLine.subList(1, mountLine.size()));
      mount.set(mount.indexOf("YOUR-SPC.yaml"), DOCS.resolve(cloud + "-spc.yaml").toString());
      StringWriter mountOut = new StringWriter();
      StringWriter mountErr = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(mountOut, true));
      cli.setErr(new PrintWriter(mountErr, true));
      assertThat(cli.execute(mount.toArray(String[]::new)))
          .as("%s%s%s", mountOut, mountErr, Files.readString(log))
          .isZero();
      Path target = Path.of(mount.get(mount.indexOf("--target") + 1));
      for (Map.Entry<String, String> file : EXPECTED.get(cloud).entrySet()) {
        assertThat(Files.readString(target.resolve(file.getKey())))
            .as(file.getKey())
            .contains(file.getValue())
            .doesNotContain("first-password");
      }
      assertThat(mountErr.toString()).doesNotContain("warning");
    } finally {
      if (serve != null) {
        serve.destroy();
        serve.waitFor(30, TimeUnit.SECONDS);
      }
      emulators.interrupt();
      emulators.join(30_000);
      AtomicWriter.deleteTree(work);
    }
  }

  /**
   * The words of the first line that starts with {@code prefix}, with {@code ''} read as the empty
   * string.
   */
  private static List<String> printed(String output, String prefix) {
    String line =
        output
            .lines()
            .filter(l -> l.startsWith(prefix))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no line starting with '" + prefix + "' in:\n" + output));
    return Arrays.stream(line.substring(prefix.length()).trim().split(" +"))
        .map(w -> w.equals("''") ? "" : w)
        .toList();
  }
}
