// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.secretsstore.provider.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The demo the README's first command runs: every backend with a demo mounts end to end. */
class DemoIT {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /**
   * Runs the demo; returns what the process would print on stderr (the logs) besides the command's
   * writers.
   */
  private String demo(int expectedCode, String... flags) throws Exception {
    PrintStream previous = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      String[] args = new String[flags.length + 1];
      args[0] = "demo";
      System.arraycopy(flags, 0, args, 1, flags.length);
      assertThat(cli.execute(args)).as(out + "\n" + err).isEqualTo(expectedCode);
    } finally {
      System.setErr(previous);
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      context.reset();
      new ContextInitializer(context).autoConfig();
    }
    return logs.toString(StandardCharsets.UTF_8);
  }

  @Test
  void
      demo_mountsTheSampleSecretProviderClassOfEachBackend_withoutAWarning_andSaysItRemovedItsDirectory()
          throws Exception {
    String logs = demo(0);
    assertThat(out.toString())
        .contains("== vault")
        .contains("db-password")
        .contains("db-username")
        .contains("config.json")
        .contains("== aws")
        .contains("demo_db")
        .contains("_demo_api-key")
        .contains("== gcp")
        .contains("api-key")
        .contains("== azure")
        .contains("web-tls")
        .contains("signing-key")
        .contains("served from the cache")
        .contains("demo finished: 4 backend(s) mounted");
    // Every backend's second mount of the same pod is answered from the cache.
    assertThat(out.toString().split("same pod again: [0-9.]+ ms, 0 calls", -1)).hasSize(5);
    assertThat(logs + out + err)
        .as("the demo prints no warning")
        .doesNotContain("WARN")
        .doesNotContain("warning");
    Matcher removed = Pattern.compile("removed (\\S+) with its sockets").matcher(out.toString());
    assertThat(removed.find()).as(out.toString()).isTrue();
    assertThat(Path.of(removed.group(1))).doesNotExist();
    assertThat(out.toString())
        .contains("run the demo with --keep to keep them")
        .contains("docs/local-testing.md");
  }

  @Test
  void demo_withKeep_keepsTheDirectoryItsMountLinesName() throws Exception {
    demo(0, "--only", "vault", "--keep");
    Matcher kept = Pattern.compile("kept (\\S+):").matcher(out.toString());
    assertThat(kept.find()).as(out.toString()).isTrue();
    Path work = Path.of(kept.group(1));
    try {
      assertThat(work.resolve("vault/spc.yaml")).exists();
      assertThat(work.resolve("vault/target/db-password")).exists();
    } finally {
      io.secretsstore.provider.driver.AtomicWriter.deleteTree(work);
    }
  }
}
