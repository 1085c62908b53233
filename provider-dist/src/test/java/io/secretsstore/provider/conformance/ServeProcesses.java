// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.Poll;
import io.secretsstore.provider.testing.ServeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code serve} processes for the checklist's process rows, pointed at a provider-under-test's
 * emulator.
 */
public final class ServeProcesses {
  private ServeProcesses() {}

  /**
   * Starts {@code serve} for the backend with the flags the provider under test was given, and
   * {@code extra}.
   */
  static ServeProcess start(ProviderUnderTest provider, Path dir, String... extra)
      throws IOException, InterruptedException {
    List<String> flags = new ArrayList<>(provider.flags);
    flags.addAll(List.of(extra));
    // Debug rather than trace keeps the child fast; row 36 runs at trace in the test JVM.
    flags.addAll(List.of("--log-format", "text", "--log-level", "debug", "--drain-timeout", "1s"));
    return ServeProcess.start(provider.book.backend(), dir, flags.toArray(String[]::new));
  }

  /** Waits until the provider answers Version: a restarted one may still be binding. */
  public static void awaitVersion(ProviderClient client) {
    if (!Poll.until(Duration.ofSeconds(60), () -> answersVersion(client))) {
      client.version(Duration.ofSeconds(2)); // throws, naming the last failure
    }
  }

  private static boolean answersVersion(ProviderClient client) {
    try {
      client.version(Duration.ofSeconds(2));
      return true;
    } catch (ProviderCallException e) {
      return false;
    }
  }

  public static int httpStatus(int port, String path) throws IOException, InterruptedException {
    return httpGet(port, path).statusCode();
  }

  public static HttpResponse<String> httpGet(int port, String path)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
