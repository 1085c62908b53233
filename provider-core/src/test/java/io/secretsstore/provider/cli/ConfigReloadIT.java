// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.Attributes;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ConfigFiles;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.Poll;
import io.secretsstore.provider.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code serve --config} as a separate process: the audit destination changes with the file,
 * without a restart, and a broken file leaves the previous settings in force.
 */
class ConfigReloadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Path dir;

  @BeforeEach
  void dir() throws Exception {
    dir = Files.createTempDirectory(Path.of("/tmp"), "reload");
  }

  @AfterEach
  void cleanUp() throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void mount(ServeProcess serve, String objectName) {
    try (ProviderClient client = ProviderClient.connect(serve.socket())) {
      String objects =
          "[{\"name\":\"" + objectName + "\",\"content\":\"" + Canaries.SECRET + "\"}]";
      client.mount(
          new ProviderClient.MountCall(
              Attributes.forPod().with("objects", objects).json(),
              "{\"k\":\"" + Canaries.NODE_PUBLISH + "\"}",
              "/t",
              "420",
              List.of()),
          Duration.ofSeconds(30));
    }
  }

  private static List<String> objectIds(Path auditFile) throws Exception {
    if (!Files.exists(auditFile)) {
      return List.of();
    }
    return Files.readAllLines(auditFile).stream()
        .map(
            line -> {
              try {
                return JSON.readTree(line).path("objectId").asString();
              } catch (Exception e) {
                throw new AssertionError("not an audit event: " + line, e);
              }
            })
        .toList();
  }

  /**
   * Waits until the process logged {@code message} {@code times} times (the watcher checks every
   * 100 ms).
   */
  private static void awaitLogged(ServeProcess serve, String message, int times) throws Exception {
    if (!Poll.until(
        Duration.ofSeconds(30),
        () -> serve.output().lines().filter(l -> l.contains(message)).count() >= times)) {
      throw new AssertionError(
          "serve did not log \"" + message + "\" " + times + " times; output:\n" + serve.output());
    }
  }

  private String metrics(ServeProcess serve) throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + serve.metricsPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void auditDestinationChange_takesEffectWithoutRestart_andABrokenFileKeepsThePreviousOne()
      throws Exception {
    Path first = dir.resolve("first.jsonl");
    Path second = dir.resolve("second.jsonl");
    Path config = dir.resolve("config.yaml");
    ConfigFiles.replace(config, "logLevel: info\n");
    try (ServeProcess serve =
        ServeProcess.start(
            "test",
            dir,
            "--log-format",
            "json",
            "--audit-log",
            first.toString(),
            "--config",
            config.toString(),
            "--config-check-interval",
            "100ms")) {
      mount(serve, "before-switch");

      ConfigFiles.replace(config, "logLevel: info\nauditLog: " + second + "\n");
      awaitLogged(serve, "configuration reloaded", 1);
      mount(serve, "after-switch");

      // Broken: an unknown key beside a new destination. Nothing of it applies.
      ConfigFiles.replace(
          config,
          "auditLog: " + dir.resolve("third.jsonl") + "\nauditLogg: " + Canaries.SECRET + "\n");
      awaitLogged(serve, "configuration file rejected", 1);
      mount(serve, "after-broken-file");

      // Audit off, then the flag's destination again once the file no longer sets one.
      ConfigFiles.replace(config, "auditLog: ''\n");
      awaitLogged(serve, "configuration reloaded", 2);
      mount(serve, "while-off");
      ConfigFiles.replace(config, "logLevel: info\n");
      awaitLogged(serve, "configuration reloaded", 3);
      mount(serve, "back-to-the-flag");

      assertThat(objectIds(first)).containsExactly("before-switch", "back-to-the-flag");
      assertThat(objectIds(second)).containsExactly("after-switch", "after-broken-file");
      assertThat(dir.resolve("third.jsonl")).doesNotExist();
      String metrics = metrics(serve);
      assertThat(metrics)
          .contains("secrets_store_provider_config_reloads_total{result=\"rejected\"} 1");
      assertThat(metrics)
          .contains("secrets_store_provider_config_reloads_total{result=\"applied\"} 3");
      serve.terminate(Duration.ofSeconds(30));
      LogCapture.assertNoCanaryIn(
          serve.output() + Files.readString(first) + Files.readString(second) + metrics,
          Canaries.all());
    }
  }

  @Test
  void fileAtStart_isInForceBeforeTheSocketAcceptsAMount() throws Exception {
    Path flagFile = dir.resolve("flag.jsonl");
    Path fileFile = dir.resolve("file.jsonl");
    Path config = dir.resolve("config.yaml");
    ConfigFiles.replace(config, "auditLog: " + fileFile + "\n");
    try (ServeProcess serve =
        ServeProcess.start(
            "test", dir, "--audit-log", flagFile.toString(), "--config", config.toString())) {
      // ServeProcess returns as soon as the socket exists: the first mount must already see the
      // file.
      mount(serve, "first");
      assertThat(objectIds(flagFile)).isEmpty();
      assertThat(objectIds(fileFile)).containsExactly("first");
      serve.terminate(Duration.ofSeconds(30));
    }
  }
}
