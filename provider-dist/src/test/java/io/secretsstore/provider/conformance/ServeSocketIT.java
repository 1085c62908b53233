// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.Poll;
import io.secretsstore.provider.testing.ServeProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real {@code serve} process: its socket (rows 32-34 of the security checklist), and readiness
 * with a probe identity ({@code --readiness-probe-spc}), which mounts as the canary pod's identity
 * against the Vault emulator, so readiness follows whether that identity can read.
 *
 * <p>The socket and the health server are core's and the same for every backend, so one backend
 * (Vault, against its emulator) stands for all; row 31, which involves a backend call, runs per
 * backend in {@link FaultSuite}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeSocketIT {
  private static final CaseBook BOOK = new VaultCases();
  private ProviderUnderTest provider;

  @BeforeAll
  void start() throws Exception {
    provider = ProviderUnderTest.start(BOOK, ChecklistSuite.NO_BACKGROUND_POLLS);
    BOOK.put(provider.emulator, "one", Canaries.SECRET + "-one");
  }

  @AfterAll
  void stop() throws Exception {
    provider.close();
  }

  @Test
  void row32_row34_socketIsOwnerOnly_andADeletedSocketIsPublishedAgain_withLivenessBackToOk()
      throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sv");
    try (ServeProcess process =
        ServeProcesses.start(provider, dir, "--socket-check-interval", "1s")) {
      assertOwnerOnlySocket(process, dir);
      try (ProviderClient client = ProviderClient.connect(process.socket())) {
        assertThat(
                client
                    .mount(
                        ProviderUnderTest.call(
                            provider.attributes(BOOK.objects(BOOK.object("one")))),
                        Duration.ofSeconds(30))
                    .files())
            .hasSize(1);
      }
      assertThat(ServeProcesses.httpStatus(process.healthPort(), "/livez")).isEqualTo(200);
      Files.delete(process.socket());
      // Liveness fails until the check publishes a new socket (ServeProcessIT shows the failure
      // with the check off).
      Poll.until(
          Duration.ofSeconds(30),
          () -> ServeProcesses.httpStatus(process.healthPort(), "/livez") == 200);
      assertThat(ServeProcesses.httpStatus(process.healthPort(), "/livez"))
          .as("liveness once a new socket is published")
          .isEqualTo(200);
      assertOwnerOnlySocket(process, dir);
      try (ProviderClient client = ProviderClient.connect(process.socket())) {
        assertThat(
                client
                    .mount(
                        ProviderUnderTest.call(
                            provider.attributes(BOOK.objects(BOOK.object("one")))),
                        Duration.ofSeconds(30))
                    .files())
            .hasSize(1);
      }
      assertThat(process.output()).contains("serving on a new one");
      assertThat(process.terminate(Duration.ofSeconds(30))).as("exit on SIGTERM").isIn(0, 143);
      LogCapture.assertNoCanaryIn(process.output(), provider.canaries());
    } finally {
      ServeProcesses.deleteTree(dir);
    }
  }

  /** The socket is 0700 and alone in its directory (no private bind directory left behind). */
  private static void assertOwnerOnlySocket(ServeProcess process, Path dir) throws Exception {
    int mode =
        (Integer) Files.getAttribute(process.socket(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
    assertThat(mode & 0777).as("socket mode").isEqualTo(0700);
    try (var entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .as("no private bind directory left")
          .containsExactly(BOOK.backend() + ".sock");
    }
  }

  @Test
  void row33_aRegularFileOrSymlinkAtTheSocketPath_isRefused_andNotFollowed() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sv");
    try {
      Path socket = dir.resolve(BOOK.backend() + ".sock");
      Path victim = Files.writeString(dir.resolve("victim"), "keep");
      Files.createSymbolicLink(socket, victim);
      try (ServeProcess process = ServeProcesses.start(provider, dir)) {
        assertThat(process.awaitExit(Duration.ofSeconds(60))).isNotZero();
        assertThat(process.output()).contains("refusing to start").contains("symbolic link");
      }
      assertThat(Files.isSymbolicLink(socket)).isTrue();
      assertThat(Files.readString(victim)).isEqualTo("keep");
    } finally {
      ServeProcesses.deleteTree(dir);
    }
  }

  @Test
  void
      readiness_mountsAsTheProbeIdentity_andFailsWhileItsReadIsDenied_orItsTokenIsAnotherServiceAccounts()
          throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "rp");
    try {
      String podToken = BOOK.token(provider.emulator, CaseBook.NAMESPACE, CaseBook.SERVICE_ACCOUNT);
      String intruderToken = BOOK.token(provider.emulator, CaseBook.NAMESPACE, "intruder");
      Path token = Files.writeString(dir.resolve("token"), podToken);
      Path spc = Files.writeString(dir.resolve("spc.yaml"), secretProviderClass());
      Files.createDirectories(dir.resolve("sockets"));
      List<String> bodies = new ArrayList<>();
      try (ServeProcess process =
          ServeProcesses.start(
              provider,
              dir.resolve("sockets"),
              "--readiness-probe-spc",
              spc.toString(),
              "--readiness-probe-service-account",
              CaseBook.SERVICE_ACCOUNT,
              "--readiness-probe-token",
              BOOK.audience() + "=" + token,
              "--readiness-probe-interval",
              "1s",
              "--readiness-includes-backend")) {
        long readsBefore = provider.calls(BOOK.readOperation());
        bodies.add(awaitReadiness(process, 200).body());
        assertThat(provider.calls(BOOK.readOperation()))
            .as("the probe reads as its identity")
            .isGreaterThan(readsBefore);

        provider.emulator.faults().inject(BOOK.readOperation(), Fault.error(403));
        HttpResponse<String> denied = awaitReadiness(process, 503);
        bodies.add(denied.body());
        assertThat(denied.body())
            .contains("readiness probe identity")
            .contains("PERMISSION_DENIED");
        assertThat(ServeProcesses.httpStatus(process.healthPort(), "/livez"))
            .as("liveness ignores the backend")
            .isEqualTo(200);

        provider.emulator.faults().clear();
        bodies.add(awaitReadiness(process, 200).body());

        // kubelet rotates the projected token in place; the probe reads the file each time.
        Files.writeString(token, intruderToken);
        HttpResponse<String> foreign = awaitReadiness(process, 503);
        bodies.add(foreign.body());
        assertThat(foreign.body()).contains("readiness probe identity").contains("UNAUTHENTICATED");

        assertThat(process.terminate(Duration.ofSeconds(30))).isIn(0, 143);
        String[] canaries =
            Stream.concat(Stream.of(provider.canaries()), Stream.of(podToken, intruderToken))
                .toArray(String[]::new);
        LogCapture.assertNoCanaryIn(process.output(), canaries);
        LogCapture.assertNoCanaryIn(String.join("\n", bodies), canaries);
      }
    } finally {
      ServeProcesses.deleteTree(dir);
    }
  }

  private String secretProviderClass() {
    String objects = BOOK.objects(BOOK.object("one")).indent(6);
    return """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata:
          name: readiness-probe
          namespace: %s
        spec:
          provider: vault
          parameters:
            roleName: app
            objects: |
        %s"""
        .formatted(CaseBook.NAMESPACE, objects);
  }

  /** Polls {@code /readyz} until it answers {@code status}, for at most 30 s. */
  private static HttpResponse<String> awaitReadiness(ServeProcess process, int status)
      throws Exception {
    Poll.until(
        Duration.ofSeconds(30),
        () -> ServeProcesses.httpGet(process.healthPort(), "/readyz").statusCode() == status);
    HttpResponse<String> response = ServeProcesses.httpGet(process.healthPort(), "/readyz");
    assertThat(response.statusCode()).as("/readyz: %s", response.body()).isEqualTo(status);
    return response;
  }
}
