// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.secretsstore.provider.ProviderVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code --log-format json} as a log shipper sees it: one ECS document per line. */
class EcsLogEncoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream previous;

  @BeforeEach
  void captureStderr() {
    previous = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    LogSetup.configure(LogSetup.Format.json, "info");
  }

  @AfterEach
  void restore() throws Exception {
    System.setErr(previous);
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private List<JsonNode> lines() throws Exception {
    List<JsonNode> nodes = new java.util.ArrayList<>();
    for (String line : stderr.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes;
  }

  @Test
  void libraryLines_haveTheirArgumentsFormattedIntoTheMessage_throughSlf4jAndJavaUtilLogging()
      throws Exception {
    LoggerFactory.getLogger("io.fabric8.kubernetes.client.informers")
        .warn("{} failed for {}, will stop", "Watch", "pods");
    java.util.logging.Logger.getLogger("io.grpc.internal.Library")
        .log(
            java.util.logging.Level.WARNING,
            "channel {0} closed after {1} ms",
            new Object[] {"ch-1", 5});

    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(2);
    JsonNode slf4j = lines.get(0);
    assertThat(slf4j.path("message").asString()).isEqualTo("Watch failed for pods, will stop");
    assertThat(slf4j.path("log.level").asString()).isEqualTo("WARN");
    assertThat(slf4j.path("log.logger").asString())
        .isEqualTo("io.fabric8.kubernetes.client.informers");
    assertThat(slf4j.path("@timestamp").asString())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z");
    assertThat(slf4j.path("ecs.version").asString()).isNotEmpty();
    assertThat(slf4j.path("service.name").asString()).isEqualTo("secrets-store-provider");
    assertThat(slf4j.path("service.version").asString()).isEqualTo(ProviderVersion.get());
    assertThat(lines.get(1).path("message").asString()).isEqualTo("channel ch-1 closed after 5 ms");
  }

  @Test
  void keyValues_areTypedTopLevelFields_andErrorsUseTheEcsErrorFields() throws Exception {
    Logger log = LoggerFactory.getLogger("io.secretsstore.provider.grpc.MountRecorder");
    log.atWarn()
        .addKeyValue("namespace", "team-a")
        .addKeyValue("objects", 3)
        .addKeyValue("durationMs", 54L)
        .addKeyValue("rotated", true)
        .addKeyValue("error", "secret db not found")
        .log("mount");
    log.atError().setCause(new IllegalStateException("broken")).log("failed");

    List<JsonNode> lines = lines();
    JsonNode mount = lines.get(0);
    assertThat(mount.path("namespace").asString()).isEqualTo("team-a");
    assertThat(mount.path("objects").isInt()).isTrue();
    assertThat(mount.path("objects").asInt()).isEqualTo(3);
    assertThat(mount.path("durationMs").isIntegralNumber()).isTrue();
    assertThat(mount.path("rotated").isBoolean()).isTrue();
    assertThat(mount.path("error.message").asString()).isEqualTo("secret db not found");
    assertThat(mount.has("error")).isFalse();
    assertThat(mount.has("kvpList")).isFalse();
    JsonNode failed = lines.get(1);
    assertThat(failed.path("error.type").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(failed.path("error.stack_trace").asString()).contains("EcsLogEncoderTest");
  }

  @Test
  void notFoundLoads_andTheAzureHeaderNotice_areNotWarnings() {
    assertThat(
            context.getLogger("com.github.benmanes.caffeine.cache.LocalAsyncCache").isWarnEnabled())
        .isFalse();
    assertThat(
            context.getLogger("com.azure.core.http.jdk.httpclient.JdkHttpClient").isWarnEnabled())
        .isFalse();
    assertThat(
            context
                .getLogger("com.github.benmanes.caffeine.cache.LocalAsyncCache")
                .isErrorEnabled())
        .isTrue();
  }
}
