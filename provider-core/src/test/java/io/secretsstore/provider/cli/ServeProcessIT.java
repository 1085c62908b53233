// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.Attributes;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code serve} as a separate process: socket, Mount, health, metrics, JSON logs and SIGTERM. */
class ServeProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Path socketDir;

  @BeforeEach
  void dir() throws Exception {
    socketDir = Files.createTempDirectory(Path.of("/tmp"), "serve");
  }

  @AfterEach
  void cleanUp() throws Exception {
    try (var paths = Files.walk(socketDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private int get(int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void serve_mountsOverItsSocket_reportsHealthAndMetrics_andStopsCleanlyOnSigterm()
      throws Exception {
    try (ServeProcess serve =
        ServeProcess.start("test", socketDir, "--log-format", "json", "--log-level", "trace")) {
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(serve.socket(), LinkOption.NOFOLLOW_LINKS)))
          .isEqualTo("rwx------");
      try (ProviderClient client = ProviderClient.connect(serve.socket())) {
        assertThat(client.version(Duration.ofSeconds(10)).runtimeName())
            .isEqualTo("secrets-store-provider-test");
        String objects = "[{\"name\":\"db\",\"content\":\"" + Canaries.SECRET + "\"}]";
        MountReply reply =
            client.mount(
                new ProviderClient.MountCall(
                    Attributes.forPod().with("objects", objects).json(),
                    "{\"k\":\"" + Canaries.NODE_PUBLISH + "\"}",
                    "/t",
                    "420",
                    List.of()),
                Duration.ofSeconds(30));
        assertThat(reply.files()).hasSize(1);
        assertThatThrownBy(
                () ->
                    client.mount(
                        new ProviderClient.MountCall(
                            "not json " + Canaries.TOKEN, "null", "/t", "420", List.of()),
                        Duration.ofSeconds(30)))
            .isInstanceOfSatisfying(
                ProviderCallException.class,
                e -> assertThat(e.code()).isEqualTo("INVALID_ARGUMENT"));
      }
      assertThat(get(serve.healthPort(), "/livez")).isEqualTo(200);
      assertThat(get(serve.healthPort(), "/readyz")).isEqualTo(200);
      String metrics =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + serve.metricsPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("secrets_store_provider_mount_requests_total{code=\"OK\",provider=\"test\"} 1");
      assertThat(metrics)
          .contains(
              "secrets_store_provider_mount_requests_total{code=\"INVALID_ARGUMENT\",provider=\"test\"} 1");
      assertThat(metrics)
          .as("known codes start at zero")
          .contains(
              "secrets_store_provider_mount_requests_total{code=\"UNAVAILABLE\",provider=\"test\"} 0");
      assertThat(metrics)
          .contains(
              "secrets_store_provider_cache_requests_total{provider=\"test\",result=\"miss\"} 1");
      assertThat(metrics)
          .contains(
              "secrets_store_provider_cache_requests_total{provider=\"test\",result=\"join\"} 0");
      assertThat(metrics)
          .contains(
              "secrets_store_provider_backend_requests_total{outcome=\"OK\",provider=\"test\"} 1");
      assertThat(metrics)
          .contains(
              "secrets_store_provider_backend_requests_total{outcome=\"NOT_FOUND\",provider=\"test\"} 0");
      assertThat(metrics)
          .contains("secrets_store_provider_mount_duration_seconds_count{provider=\"test\"} 2");
      assertThat(metrics)
          .as("mount latency buckets reach kubelet's limit")
          .contains(
              "secrets_store_provider_mount_duration_seconds_bucket{provider=\"test\",le=\"90.0\"} 2")
          .contains(
              "secrets_store_provider_mount_duration_seconds_bucket{provider=\"test\",le=\"120.0\"} 2");
      assertThat(metrics)
          .containsPattern(
              "secrets_store_provider_build_info\\{jvm=\"[^\"]+\",provider=\"test\",version=\"\\d+\\.\\d+\\.\\d+\"\\} 1");
      assertThat(metrics).contains("secrets_store_provider_cache_entries 1");
      assertThat(metrics).containsPattern("secrets_store_provider_cache_bytes [1-9]");
      assertThat(metrics).contains("secrets_store_provider_backend_up{provider=\"test\"} 1");
      assertThat(metrics)
          .contains("secrets_store_provider_config_reloads_total{result=\"rejected\"} 0");
      assertThat(metrics).doesNotContain("backend=\"");
      assertThat(metrics).contains("secrets_store_provider_reused_payloads 0");
      assertThat(metrics).contains("jvm_memory_used_bytes");
      LogCapture.assertNoCanaryIn(metrics, Canaries.all());

      try (ProviderClient client = ProviderClient.connect(serve.socket())) {
        // An ordinary NOT_FOUND: one mount line, no library warning with a stack trace (Caffeine's
        // failed async load).
        assertThatThrownBy(
                () ->
                    client.mount(
                        new ProviderClient.MountCall(
                            Attributes.forPod()
                                .with("objects", "[{\"name\":\"gone\",\"fail\":\"NOT_FOUND\"}]")
                                .json(),
                            "{}",
                            "/t",
                            "420",
                            List.of()),
                        Duration.ofSeconds(30)))
            .isInstanceOfSatisfying(
                ProviderCallException.class, e -> assertThat(e.code()).isEqualTo("NOT_FOUND"));
      }

      assertThat(serve.terminate(Duration.ofSeconds(30))).isIn(0, 143);
      assertThat(Files.exists(serve.socket(), LinkOption.NOFOLLOW_LINKS))
          .as("socket removed on SIGTERM")
          .isFalse();

      String output = serve.output();
      LogCapture.assertNoCanaryIn(output, Canaries.all());
      assertThat(output)
          .doesNotContain("asynchronous load")
          .doesNotContain("\\tat ")
          .doesNotContain("\tat ");
      List<JsonNode> lines =
          output.lines().filter(l -> l.startsWith("{")).map(ServeProcessIT::parse).toList();
      assertThat(lines)
          .as("every log line is JSON")
          .hasSize((int) output.lines().filter(l -> !l.isBlank()).count());
      assertThat(lines)
          .as("the audit event of the mounted object")
          .anySatisfy(
              line -> {
                assertThat(line.path("objectId").asString()).isEqualTo("db");
                assertThat(line.path("source").asString()).isEqualTo("backend");
                assertThat(line.path("fingerprint").asString()).startsWith("hmac-sha256:");
                assertThat(line.path("eventId").asString())
                    .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
                assertThat(line.path("eventKind").asString()).isEqualTo("event");
                assertThat(line.path("eventType").asString()).isEqualTo("access");
                assertThat(line.path("podUid").asString()).isNotEmpty();
              });
      assertThat(lines)
          .anySatisfy(
              line -> {
                assertThat(line.path("message").asString()).isEqualTo("mount");
                assertThat(line.toString())
                    .contains("\"team-a\"")
                    .contains("\"OK\"")
                    .contains("objects")
                    .contains("cacheHits");
              });
      List<JsonNode> logs = lines.stream().filter(line -> line.has("log.level")).toList();
      assertThat(logs)
          .as("log lines in ECS")
          .isNotEmpty()
          .allSatisfy(
              line -> {
                assertThat(line.path("@timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(line.path("log.logger").asString()).isNotEmpty();
                assertThat(line.path("message").isString()).isTrue();
                assertThat(line.path("service.name").asString())
                    .isEqualTo("secrets-store-provider");
                assertThat(line.has("kvpList")).isFalse();
              });
      assertThat(logs)
          .as("key values are typed top-level fields")
          .anySatisfy(
              line -> {
                assertThat(line.path("message").asString()).isEqualTo("mount");
                assertThat(line.path("namespace").asString()).isEqualTo("team-a");
                assertThat(line.path("cacheHits").isNumber()).isTrue();
              });
    }
  }

  @Test
  void serve_livenessFailsWhenTheSocketIsDeleted() throws Exception {
    // Without the socket check, so that nothing publishes a new socket before the probe.
    try (ServeProcess serve =
        ServeProcess.start(
            "test", socketDir, "--log-format", "text", "--socket-check-interval", "0s")) {
      assertThat(get(serve.healthPort(), "/livez")).isEqualTo(200);
      Files.delete(serve.socket());
      assertThat(get(serve.healthPort(), "/livez")).isEqualTo(503);
      serve.terminate(Duration.ofSeconds(30));
    }
  }

  @Test
  void mountCommand_againstServe_writesTheDriversAtomicLayoutWithModes() throws Exception {
    Path work = Files.createTempDirectory(Path.of("/tmp"), "mnt");
    Path spc = work.resolve("spc.yaml");
    Files.writeString(
        spc,
        String.join(
            "\n",
            "apiVersion: secrets-store.csi.x-k8s.io/v1",
            "kind: SecretProviderClass",
            "metadata:",
            "  name: app-secrets",
            "  namespace: team-a",
            "spec:",
            "  provider: test",
            "  parameters:",
            "    objects: '[{\"name\":\"db-password\",\"content\":\""
                + Canaries.SECRET
                + "\",\"mode\":\"0600\"},"
                + "{\"name\":\"tls\",\"path\":\"certs/tls.crt\",\"content\":\"PEM\"}]'",
            ""));
    Path token = work.resolve("token");
    Files.writeString(token, Canaries.TOKEN);
    Path target = work.resolve("target");
    try (ServeProcess serve = ServeProcess.start("test", socketDir, "--log-format", "json")) {
      java.io.StringWriter out = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      picocli.CommandLine cli = Main.commandLine();
      cli.setOut(new java.io.PrintWriter(out, true));
      cli.setErr(new java.io.PrintWriter(err, true));
      int code =
          cli.execute(
              "mount",
              "--socket",
              serve.socket().toString(),
              "--spc",
              spc.toString(),
              "--target",
              target.toString(),
              "--namespace",
              "team-a",
              "--service-account",
              "app",
              "--token",
              "test-audience=" + token);
      assertThat(code).as(err.toString()).isZero();

      assertThat(Files.isSymbolicLink(target.resolve("..data"))).isTrue();
      Path data = target.resolve("..data").toRealPath();
      assertThat(data.getFileName().toString())
          .matches("\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\..+");
      assertThat(Files.readSymbolicLink(target.resolve("db-password")).toString())
          .isEqualTo("..data/db-password");
      assertThat(Files.readSymbolicLink(target.resolve("certs")).toString())
          .isEqualTo("..data/certs");
      assertThat(Files.readString(target.resolve("db-password"))).isEqualTo(Canaries.SECRET);
      assertThat(Files.readString(target.resolve("certs/tls.crt"))).isEqualTo("PEM");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data.resolve("db-password"))))
          .isEqualTo("rw-------");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data.resolve("certs/tls.crt"))))
          .isEqualTo("rw-r--r--");
      assertThat(out.toString()).contains("db-password").contains("0600").contains("certs/tls.crt");

      // A second mount with unchanged content rewrites nothing: ..data still points at the same
      // directory.
      assertThat(
              Main.commandLine()
                  .execute(
                      "mount",
                      "--socket",
                      serve.socket().toString(),
                      "--spc",
                      spc.toString(),
                      "--target",
                      target.toString(),
                      "--namespace",
                      "team-a",
                      "--service-account",
                      "app",
                      "--token",
                      "test-audience=" + token))
          .isZero();
      assertThat(target.resolve("..data").toRealPath()).isEqualTo(data);

      serve.terminate(Duration.ofSeconds(30));
      LogCapture.assertNoCanaryIn(out + err.toString() + serve.output(), Canaries.all());
    } finally {
      try (var paths = Files.walk(work)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not a JSON log line: " + line, e);
    }
  }
}
