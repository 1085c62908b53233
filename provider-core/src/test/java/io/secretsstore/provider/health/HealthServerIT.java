// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.testing.ProviderFixture;
import io.secretsstore.provider.testing.TestBackend;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthServerIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(HealthServer health, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readiness_followsTheBackend_andLivenessTheSocket() throws Exception {
    AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
    AtomicInteger checks = new AtomicInteger();
    try (ProviderFixture provider = ProviderFixture.start(new TestBackend());
        HealthServer health = HealthServer.start(new InetSocketAddress("127.0.0.1", 0), provider.socket(),
            provider.server()::socketPresent, () -> {
              checks.incrementAndGet();
              return problem.get();
            }, Duration.ZERO)) {
      assertThat(get(health, "/readyz").statusCode()).isEqualTo(200);
      problem.set(Optional.of("the backend endpoint is unreachable"));
      HttpResponse<String> unready = get(health, "/readyz");
      assertThat(unready.statusCode()).isEqualTo(503);
      assertThat(unready.body()).contains("unreachable");
      assertThat(get(health, "/livez").statusCode()).as("liveness ignores the backend").isEqualTo(200);
      problem.set(Optional.empty());
      assertThat(get(health, "/readyz").statusCode()).isEqualTo(200);

      Files.delete(provider.socket());
      assertThat(get(health, "/livez").statusCode()).isEqualTo(503);
      assertThat(get(health, "/readyz").statusCode()).isEqualTo(503);
      assertThat(checks.get()).isEqualTo(3);
    }
  }

  @Test
  void readiness_checksAreReusedWithinThePeriod() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    try (ProviderFixture provider = ProviderFixture.start(new TestBackend());
        HealthServer health = HealthServer.start(new InetSocketAddress("127.0.0.1", 0), provider.socket(),
            provider.server()::socketPresent, () -> {
              checks.incrementAndGet();
              return Optional.empty();
            }, Duration.ofMinutes(1))) {
      for (int i = 0; i < 5; i++) {
        assertThat(get(health, "/readyz").statusCode()).isEqualTo(200);
      }
      assertThat(checks.get()).isEqualTo(1);
    }
  }
}
