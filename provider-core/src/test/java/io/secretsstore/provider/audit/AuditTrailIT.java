// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.cli.Main;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.Attributes;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.FakeTime;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import io.secretsstore.provider.testing.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The audit trail of real mounts through the gRPC service (in-process): events, sources,
 * fingerprints, reuse report.
 */
class AuditTrailIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ByteArrayOutputStream audit = new ByteArrayOutputStream();
  private final TestBackend backend = new TestBackend();
  private final FingerprintIndex index = new FingerprintIndex(1000);
  private ProviderFixture provider;

  @BeforeEach
  void start() throws Exception {
    MountAuditor auditor =
        new MountAuditor(
            JsonLinesAuditSink.to(audit),
            new PayloadFingerprints(PayloadFingerprints.newKey()),
            index,
            "node-1",
            new FakeTime());
    // Auditing is the service's work, not the socket's: served in-process.
    provider = ProviderFixture.inProcess(backend, EngineSettings.DEFAULT, auditor);
  }

  @AfterEach
  void stop() throws Exception {
    provider.close();
  }

  private ProviderClient.MountCall call(String serviceAccount, String objects, String... extra) {
    Attributes attributes =
        Attributes.forPod()
            .with("csi.storage.k8s.io/serviceAccount.name", serviceAccount)
            .with("objects", objects);
    for (int i = 0; i < extra.length; i += 2) {
      attributes.with(extra[i], extra[i + 1]);
    }
    return new ProviderClient.MountCall(
        attributes.json(), "{\"k\":\"" + Canaries.NODE_PUBLISH + "\"}", "/t", "420", List.of());
  }

  private List<JsonNode> events() throws Exception {
    return audit
        .toString(StandardCharsets.UTF_8)
        .lines()
        .map(
            line -> {
              try {
                return JSON.readTree(line);
              } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + line, e);
              }
            })
        .toList();
  }

  @Test
  void mounts_recordOneEventPerObject_withSourceVersionAndFingerprint_andNoSecret()
      throws Exception {
    backend.put("db", Canaries.SECRET);
    backend.put("api", "another value");
    String objects = "[{\"name\":\"db\"},{\"name\":\"api\"}]";
    provider.client().mount(call("app", objects), Duration.ofSeconds(10));
    provider.client().mount(call("app", objects), Duration.ofSeconds(10));

    List<JsonNode> events = events();
    assertThat(events).hasSize(4);
    assertThat(events)
        .extracting(e -> e.path("objectId").asString())
        .containsExactly("db", "api", "db", "api");
    assertThat(events)
        .extracting(e -> e.path("source").asString())
        .containsExactly("backend", "backend", "cache", "cache");
    JsonNode first = events.get(0);
    assertThat(first.path("action").asString()).isEqualTo("mount");
    assertThat(first.path("node").asString()).isEqualTo("node-1");
    assertThat(first.path("namespace").asString()).isEqualTo("team-a");
    assertThat(first.path("pod").asString()).isEqualTo("app-7d4f9");
    assertThat(first.path("serviceAccount").asString()).isEqualTo("app");
    assertThat(first.path("secretProviderClass").asString()).isEqualTo("app-secrets");
    assertThat(first.path("backend").asString()).isEqualTo("test");
    assertThat(first.path("objectVersion").asString()).isEqualTo("v1");
    assertThat(first.path("outcome").asString()).isEqualTo("OK");
    assertThat(first.path("fingerprint").asString()).startsWith("hmac-sha256:");
    assertThat(events.get(0).path("fingerprint")).isEqualTo(events.get(2).path("fingerprint"));
    assertThat(events.get(0).path("fingerprint")).isNotEqualTo(events.get(1).path("fingerprint"));
    LogCapture.assertNoCanaryIn(audit.toString(StandardCharsets.UTF_8), Canaries.all());
  }

  @Test
  void deniedMount_recordsTheOutcomeWithoutObjects() throws Exception {
    backend.put("db", Canaries.SECRET);
    assertThatThrownBy(
            () ->
                provider
                    .client()
                    .mount(
                        call("intruder", "[{\"name\":\"db\"}]", "deny", "intruder"),
                        Duration.ofSeconds(10)))
        .isInstanceOf(ProviderCallException.class);
    assertThatThrownBy(
            () ->
                provider
                    .client()
                    .mount(
                        new ProviderClient.MountCall(
                            "not json " + Canaries.TOKEN, "null", "/t", "420", List.of()),
                        Duration.ofSeconds(10)))
        .isInstanceOf(ProviderCallException.class);
    List<JsonNode> events = events();
    assertThat(events).hasSize(2);
    assertThat(events.get(0).path("outcome").asString()).isEqualTo("PERMISSION_DENIED");
    assertThat(events.get(0).path("serviceAccount").asString()).isEqualTo("intruder");
    assertThat(events.get(0).path("objectId").asString()).isEmpty();
    assertThat(events.get(1).path("outcome").asString()).isEqualTo("INVALID_ARGUMENT");
    assertThat(events.get(1).path("namespace").asString()).isEmpty();
    LogCapture.assertNoCanaryIn(audit.toString(StandardCharsets.UTF_8), Canaries.all());
  }

  @Test
  void fingerprintsCommand_findsAValueReusedUnderTwoNames_withoutRevealingIt() throws Exception {
    backend.put("db-password", Canaries.SECRET);
    backend.put("legacy-password", Canaries.SECRET);
    backend.put("unique", "only here");
    provider
        .client()
        .mount(
            call("app", "[{\"name\":\"db-password\"},{\"name\":\"unique\"}]"),
            Duration.ofSeconds(10));
    provider
        .client()
        .mount(call("legacy", "[{\"name\":\"legacy-password\"}]"), Duration.ofSeconds(10));
    assertThat(index.reusedCount()).isEqualTo(1);

    Path file = Files.createTempFile("audit", ".jsonl");
    Files.write(file, audit.toByteArray());
    StringWriter out = new StringWriter();
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    assertThat(cli.execute("fingerprints", file.toString())).isZero();
    Files.delete(file);
    assertThat(out.toString())
        .contains("3 object accesses, 2 distinct values, 1 reused under more than one owner")
        .contains("team-a/db-password")
        .contains("team-a/legacy-password")
        .doesNotContain("team-a/unique");
    LogCapture.assertNoCanaryIn(out.toString(), Canaries.all());
  }
}
