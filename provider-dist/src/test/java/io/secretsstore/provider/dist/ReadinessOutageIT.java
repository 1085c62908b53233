// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.vault.VaultEmulator;
import io.secretsstore.provider.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend outage as a DaemonSet rollout meets it: the real {@code serve} process of the Vault
 * backend, with its emulator stopped under it. By default the provider stays Ready (its socket
 * serves; a rollout with maxUnavailable 1 proceeds) and reports the outage in {@code
 * /readyz?verbose} and {@code backend_up}; with {@code --readiness-includes-backend} it turns
 * NotReady.
 */
class ReadinessOutageIT {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  @TempDir Path dir;

  @Test
  void byDefault_readinessStaysReadyThroughAnEmulatorOutage_andReportsIt() throws Exception {
    VaultEmulator vault = new VaultEmulator();
    try {
      DemoScenario scenario =
          vault.demo(vault.start(EmulatorOptions.create(dir.resolve("ca.pem")))).orElseThrow();
      try (ServeProcess serve =
          ServeProcess.start(
              "vault", Files.createDirectories(dir.resolve("sockets")), flags(scenario))) {
        awaitBody(serve.healthPort(), "/readyz?verbose", "[+]backend ok");
        assertThat(metrics(serve))
            .contains("secrets_store_provider_backend_up{provider=\"vault\"} 1");
        vault.close(); // the outage; closing twice is safe
        HttpResponse<String> verbose =
            awaitBody(serve.healthPort(), "/readyz?verbose", "[-]backend failed");
        assertThat(verbose.statusCode()).as(verbose.body()).isEqualTo(200);
        assertThat(verbose.body())
            .contains("readyz check passed")
            .contains("--readiness-includes-backend");
        assertThat(get(serve.healthPort(), "/readyz").statusCode()).isEqualTo(200);
        assertThat(get(serve.healthPort(), "/livez").statusCode()).isEqualTo(200);
        assertThat(metrics(serve))
            .contains("secrets_store_provider_backend_up{provider=\"vault\"} 0");
      }
    } finally {
      vault.close();
    }
  }

  @Test
  void withTheBackendIncluded_anEmulatorOutageMakesTheProviderNotReady() throws Exception {
    VaultEmulator vault = new VaultEmulator();
    try {
      DemoScenario scenario =
          vault.demo(vault.start(EmulatorOptions.create(dir.resolve("ca.pem")))).orElseThrow();
      List<String> flags = new ArrayList<>(List.of(flags(scenario)));
      flags.add("--readiness-includes-backend");
      try (ServeProcess serve =
          ServeProcess.start(
              "vault",
              Files.createDirectories(dir.resolve("sockets")),
              flags.toArray(String[]::new))) {
        awaitBody(serve.healthPort(), "/readyz?verbose", "[+]backend ok");
        assertThat(get(serve.healthPort(), "/readyz").statusCode()).isEqualTo(200);
        vault.close(); // the outage; closing twice is safe
        HttpResponse<String> verbose =
            awaitBody(serve.healthPort(), "/readyz?verbose", "[-]backend failed");
        assertThat(verbose.statusCode()).isEqualTo(503);
        assertThat(get(serve.healthPort(), "/readyz").statusCode()).isEqualTo(503);
        assertThat(get(serve.healthPort(), "/livez").statusCode())
            .as("liveness ignores the backend")
            .isEqualTo(200);
      }
    } finally {
      vault.close();
    }
  }

  private static String[] flags(DemoScenario scenario) {
    List<String> flags = new ArrayList<>(scenario.serveFlags());
    flags.addAll(List.of("--log-format", "text"));
    return flags.toArray(String[]::new);
  }

  private String metrics(ServeProcess serve) throws Exception {
    return get(serve.metricsPort(), "/metrics").body();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Polls until the answer contains {@code text} (readiness answers are reused for 5 s), for at
   * most 60 s.
   */
  private HttpResponse<String> awaitBody(int port, String path, String text) throws Exception {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .alias(path + " says " + text)
        .until(() -> get(port, path), response -> response.body().contains(text));
  }
}
