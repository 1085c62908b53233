// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.vault.VaultEmulator;
import io.secretsstore.provider.testing.ServeProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 point 8 against the real {@code serve} process of the Vault backend: any pod can reach
 * the health port, so silent, half-open and slow connections must not hold {@code /livez}, or
 * kubelet's liveness probe restarts the provider.
 */
class HostileTenantHealthIT {
  /**
   * Kubelet's probe gives up after timeoutSeconds (1 s by default); this bound is ten times that.
   */
  private static final Duration PROBE_BOUND = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  @DisplayName(
      "point 8: half-open, silent and slow connections to the health port do not block /livez")
  void hostileConnectionsToTheHealthPort_doNotBlockLiveness() throws Exception {
    try (VaultEmulator vault = new VaultEmulator()) {
      StartedEmulator started = vault.start(EmulatorOptions.create(dir.resolve("ca.pem")));
      DemoScenario scenario = vault.demo(started).orElseThrow();
      try (ServeProcess serve =
          ServeProcess.start(
              "vault",
              Files.createDirectories(dir.resolve("sockets")),
              with(scenario.serveFlags(), "--log-format", "text"))) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_BOUND).build();
        assertThat(livez(http, serve)).isEqualTo(200);
        List<Socket> hostile = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        try {
          // 200 connections, more than the server keeps open: silent ones, ones stopping inside the
          // request
          // line, and ones that send a header byte at a time, as a slowloris would.
          for (int i = 0; i < 200; i++) {
            Socket socket = new Socket("127.0.0.1", serve.healthPort());
            OutputStream out = socket.getOutputStream();
            switch (i % 3) {
              case 0 -> {}
              case 1 -> out.write("GET /livez HT".getBytes(StandardCharsets.US_ASCII));
              default ->
                  out.write(
                      "GET /readyz HTTP/1.1\r\nX-Slow: a".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            hostile.add(socket);
          }
          for (int round = 0; round < 20; round++) {
            for (int i = 2; i < hostile.size(); i += 3) {
              trickle(hostile.get(i));
            }
            long start = System.nanoTime();
            assertThat(livez(http, serve)).as("round %d", round).isEqualTo(200);
            millis.add((System.nanoTime() - start) / 1_000_000);
          }
        } finally {
          for (Socket socket : hostile) {
            socket.close();
          }
        }
        assertThat(serve.isAlive()).isTrue();
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.println(
            "point 8: /livez under 200 hostile connections, 20 probes: median "
                + sorted[sorted.length / 2]
                + " ms, max "
                + sorted[sorted.length - 1]
                + " ms (bound "
                + PROBE_BOUND.toMillis()
                + " ms)");
      }
    }
  }

  private static void trickle(Socket socket) {
    try {
      socket.getOutputStream().write('a');
      socket.getOutputStream().flush();
    } catch (IOException e) {
      // The server closed it (over the cap, or past its read deadline): that is the point.
    }
  }

  private static int livez(HttpClient http, ServeProcess serve) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.healthPort() + "/livez"))
                .timeout(PROBE_BOUND)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  static String[] with(List<String> flags, String... more) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(Arrays.asList(more));
    return all.toArray(String[]::new);
  }
}
