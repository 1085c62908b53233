// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code emulators} subcommand, run through the provider's real command line. */
class EmulatorsCommandTest {
  private static final Pattern ECHO_HTTP =
      Pattern.compile("echo\\s+http\\s+(http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void withNoEmulatorOnTheClassPathItSaysSoAndExitsZero() {
    ClassLoader original = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(new WithoutEmulators(original));
    try {
      int code = commandLine().execute("emulators");

      assertThat(code).isZero();
      assertThat(out.toString()).contains("no emulators on the class path");
    } finally {
      Thread.currentThread().setContextClassLoader(original);
    }
  }

  @Test
  void startsTheRegisteredEmulatorPrintsItsEndpointsAndCaFileThenStopsIt() throws Exception {
    int closedBefore = EchoEmulator.CLOSED.get();
    Path ca = dir.resolve("ca.pem");

    int code =
        commandLine()
            .execute(
                "emulators", "--only", "echo", "--ca-file", ca.toString(), "--exit-after-start");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .containsPattern("EMULATOR\\s+ENDPOINT\\s+URL")
        .containsPattern("echo\\s+https\\s+https://127\\.0\\.0\\.1:\\d+")
        .contains("CA certificate (trust it for the https endpoints): " + ca)
        .containsPattern("echo\\s+ECHO_URL\\s+http://127\\.0\\.0\\.1:\\d+");
    assertThat(ECHO_HTTP.matcher(out.toString()).find()).isTrue();
    assertThat(Files.readString(ca)).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(EchoEmulator.CLOSED.get()).isEqualTo(closedBefore + 1);
  }

  @Test
  void aTemporaryCaFileIsRemovedWhenTheEmulatorsStop() throws Exception {
    int code = commandLine().execute("emulators", "--only", "echo", "--exit-after-start");

    Matcher ca =
        Pattern.compile("CA certificate \\(trust it for the https endpoints\\): (\\S+)")
            .matcher(out.toString());
    assertThat(code).isZero();
    assertThat(ca.find()).isTrue();
    assertThat(Path.of(ca.group(1))).doesNotExist();
  }

  @Test
  void servesUntilItsThreadIsInterruptedThenStopsTheEmulators() throws Exception {
    int closedBefore = EchoEmulator.CLOSED.get();
    CommandLine cli = commandLine();
    AtomicInteger code = new AtomicInteger(-1);
    Thread serving =
        new Thread(
            () -> code.set(cli.execute("emulators", "--only", "echo")), "emulators-under-test");
    serving.start();
    URI echo = awaitEchoEndpoint();

    var response = TestClients.get(TestClients.plain(), echo.resolve("/echo/alive"));
    serving.interrupt();
    serving.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(response.body()).isEqualTo("alive");
    assertThat(serving.isAlive()).isFalse();
    assertThat(code.get()).isZero();
    assertThat(EchoEmulator.CLOSED.get()).isEqualTo(closedBefore + 1);
    assertThat(out.toString()).contains("press Ctrl-C to stop");
  }

  @Test
  void anUnknownEmulatorNameIsAUsageErrorListingTheAvailableOnes() {
    int code = commandLine().execute("emulators", "--only", "nimbus", "--exit-after-start");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("no emulator named nimbus").contains("echo");
  }

  @Test
  void aPortAlreadyTakenIsReportedWithExitCodeOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int code =
          commandLine()
              .execute(
                  "emulators",
                  "--only",
                  "echo",
                  "--set",
                  "echo.http-port=" + taken.getLocalPort(),
                  "--exit-after-start");

      assertThat(code).isEqualTo(1);
      assertThat(err.toString()).contains("cannot start the emulators").contains("BindException");
    }
  }

  private CommandLine commandLine() {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }

  private URI awaitEchoEndpoint() throws InterruptedException {
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(20))
        .alias("the command prints its echo endpoint")
        .until(
            () ->
                ECHO_HTTP.matcher(out.toString()).find()
                    && out.toString().contains("press Ctrl-C"));
    Matcher m = ECHO_HTTP.matcher(out.toString());
    assertThat(m.find()).as("the command printed no echo endpoint: " + out + err).isTrue();
    return URI.create(m.group(1));
  }

  /** Hides every {@code CloudEmulator} registration, as on a class path without emulators. */
  private static final class WithoutEmulators extends ClassLoader {
    private static final String SERVICES = "META-INF/services/" + CloudEmulator.class.getName();

    WithoutEmulators(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return SERVICES.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }
  }
}
