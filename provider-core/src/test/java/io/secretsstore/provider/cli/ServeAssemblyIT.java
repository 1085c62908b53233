// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve} that fails after some of its parts were built closes them: no listener or socket is
 * left behind.
 */
class ServeAssemblyIT {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  @Test
  void aHealthAddressInUse_closesTheMetricsListenerAndTheSocketBuiltBeforeIt() throws Exception {
    int metricsPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      metricsPort = probe.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String health = "127.0.0.1:" + taken.getLocalPort();
      CommandLine cli = Main.commandLine();
      cli.setErr(new PrintWriter(err, true));
      int exit =
          cli.execute(
              "serve",
              "--backend",
              "test",
              "--socket-dir",
              dir.toString(),
              "--health-addr",
              health,
              "--metrics-addr",
              "127.0.0.1:" + metricsPort,
              "--audit-log",
              "",
              "--log-format",
              "text");
      assertThat(exit).as(err.toString()).isEqualTo(1);
      assertThat(err.toString())
          .startsWith("error: --health-addr " + health + ": cannot listen there");
    }
    assertThat(Files.exists(dir.resolve("test.sock"))).as("the socket was removed").isFalse();
    try (ServerSocket again = new ServerSocket(metricsPort, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort())
          .as("/metrics no longer listens, so its port binds again")
          .isEqualTo(metricsPort);
    }
  }
}
