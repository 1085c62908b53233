// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ServeProcess;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rows 32-34 of the security checklist: the socket of the real {@code serve} process. The socket is
 * core's and the same for every backend, so one backend (Vault, against its emulator) stands for
 * all; row 31, which involves a backend call, runs per backend in {@link FaultSuite}.
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
  void row32_row34_socketIsOwnerOnly_andADeletedSocketIsPublishedAgain_withLivenessBackToOk() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sv");
    try (ServeProcess process = ServeProcesses.start(provider, dir, "--socket-check-interval", "1s")) {
      assertOwnerOnlySocket(process, dir);
      try (ProviderClient client = ProviderClient.connect(process.socket())) {
        assertThat(client.mount(ProviderUnderTest.call(provider.attributes(BOOK.objects(BOOK.object("one")))), Duration.ofSeconds(30)).files()).hasSize(1);
      }
      assertThat(ServeProcesses.httpStatus(process.healthPort(), "/livez")).isEqualTo(200);
      Files.delete(process.socket());
      // Liveness fails until the check publishes a new socket (ServeProcessIT shows the failure with the check off).
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (ServeProcesses.httpStatus(process.healthPort(), "/livez") != 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(ServeProcesses.httpStatus(process.healthPort(), "/livez")).as("liveness once a new socket is published").isEqualTo(200);
      assertOwnerOnlySocket(process, dir);
      try (ProviderClient client = ProviderClient.connect(process.socket())) {
        assertThat(client.mount(ProviderUnderTest.call(provider.attributes(BOOK.objects(BOOK.object("one")))), Duration.ofSeconds(30)).files()).hasSize(1);
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
    int mode = (Integer) Files.getAttribute(process.socket(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
    assertThat(mode & 0777).as("socket mode").isEqualTo(0700);
    try (var entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString())).as("no private bind directory left").containsExactly(BOOK.backend() + ".sock");
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
}
