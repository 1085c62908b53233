// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.http.BoundedHttpServer;
import io.secretsstore.provider.testing.ProviderFixture;
import io.secretsstore.provider.testing.TestBackend;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HealthServerIT {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private HttpResponse<String> get(HealthServer health, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HealthServer start(
      ProviderFixture provider, Supplier<Optional<String>> backend, boolean includeBackend)
      throws Exception {
    return HealthServer.start(
        new InetSocketAddress("127.0.0.1", 0),
        provider.socket(),
        provider.server()::socketPresent,
        backend,
        includeBackend);
  }

  @Test
  void readiness_byDefault_isTheSocket_andReportsTheBackendOnlyInVerbose() throws Exception {
    AtomicReference<Optional<String>> problem =
        new AtomicReference<>(Optional.of("the backend endpoint is unreachable"));
    try (ProviderFixture provider = ProviderFixture.start(new TestBackend());
        HealthServer health = start(provider, problem::get, false)) {
      HttpResponse<String> ready = get(health, "/readyz");
      assertThat(ready.statusCode())
          .as("a backend outage does not make the provider NotReady")
          .isEqualTo(200);
      HttpResponse<String> verbose = get(health, "/readyz?verbose");
      assertThat(verbose.statusCode()).isEqualTo(200);
      assertThat(verbose.body())
          .contains("[+]socket ok")
          .contains("[-]backend failed: the backend endpoint is unreachable")
          .contains("--readiness-includes-backend")
          .contains("readyz check passed");
      problem.set(Optional.empty());
      assertThat(get(health, "/readyz?verbose").body()).contains("[+]backend ok");

      Files.delete(provider.socket());
      assertThat(get(health, "/readyz").statusCode()).isEqualTo(503);
      assertThat(get(health, "/livez").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void readiness_withTheBackendIncluded_followsTheBackend_andLivenessTheSocket() throws Exception {
    AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
    try (ProviderFixture provider = ProviderFixture.start(new TestBackend());
        HealthServer health = start(provider, problem::get, true)) {
      assertThat(get(health, "/readyz").statusCode()).isEqualTo(200);
      problem.set(Optional.of("the backend endpoint is unreachable"));
      HttpResponse<String> unready = get(health, "/readyz");
      assertThat(unready.statusCode()).isEqualTo(503);
      assertThat(unready.body()).contains("unreachable");
      assertThat(get(health, "/readyz?verbose").body())
          .contains("[-]backend failed")
          .contains("readyz check failed")
          .doesNotContain("reported only");
      assertThat(get(health, "/livez").statusCode())
          .as("liveness ignores the backend")
          .isEqualTo(200);
      problem.set(Optional.empty());
      assertThat(get(health, "/readyz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void recentResult_reusesAnAnswerWithinThePeriod() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    RecentResult<Optional<String>> cached =
        new RecentResult<>(
            () -> {
              checks.incrementAndGet();
              return Optional.empty();
            },
            Duration.ofMinutes(1));
    try (ProviderFixture provider = ProviderFixture.start(new TestBackend());
        HealthServer health = start(provider, cached, true)) {
      for (int i = 0; i < 5; i++) {
        assertThat(get(health, "/readyz").statusCode()).isEqualTo(200);
      }
      assertThat(checks.get()).isEqualTo(1);
    }
  }

  @Test
  void silentAndSlowConnections_doNotDelayTheProbe_andOverTheCapTheOldestIsDropped()
      throws Exception {
    try (ProviderFixture provider = ProviderFixture.start(new TestBackend());
        HealthServer health = start(provider, Optional::empty, false)) {
      List<Socket> hostile = new ArrayList<>();
      try {
        // More than the connection cap: silent ones, and ones that stop in the middle of a request.
        for (int i = 0; i < BoundedHttpServer.MAX_CONNECTIONS + 16; i++) {
          Socket socket = new Socket("127.0.0.1", health.port());
          if (i % 2 == 0) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /livez HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
          hostile.add(socket);
        }
        for (int i = 0; i < 5; i++) {
          assertThat(get(health, "/livez").statusCode()).isEqualTo(200);
        }
        // The first connections were closed to make room; a silent one is closed after the read
        // deadline.
        assertThat(hostile.get(0).getInputStream().read()).isEqualTo(-1);
      } finally {
        for (Socket socket : hostile) {
          socket.close();
        }
      }
    }
  }

  @Test
  void unknownPathsAndMethods_getTheirStatus() throws Exception {
    try (ProviderFixture provider = ProviderFixture.start(new TestBackend());
        HealthServer health = start(provider, Optional::empty, false)) {
      assertThat(get(health, "/nope").statusCode()).isEqualTo(404);
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/livez"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }
}
