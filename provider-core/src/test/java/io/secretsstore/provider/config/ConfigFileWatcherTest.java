// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.ResilienceSettings;
import io.secretsstore.provider.spi.AllowLists;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigFileWatcherTest {
  @RegisterExtension final LogCapture logs = new LogCapture();
  private final AtomicReference<ReloadableConfig> applied = new AtomicReference<>();
  private final List<Boolean> outcomes = new ArrayList<>();
  private Path file;
  private ConfigFileWatcher watcher;

  @BeforeEach
  void create() throws Exception {
    file = Files.createTempFile("config", ".yaml");
    Files.writeString(file, "logLevel: info\n");
    watcher =
        new ConfigFileWatcher(
            file,
            ConfigDefaults.of(CacheSettings.DEFAULT, ResilienceSettings.DEFAULT),
            applied::set,
            outcomes::add);
    watcher.start(Duration.ofHours(1));
  }

  @AfterEach
  void delete() throws Exception {
    watcher.close();
    Files.deleteIfExists(file);
  }

  @Test
  void change_isAppliedWithoutRestart() throws Exception {
    Files.writeString(
        file,
        "logLevel: debug\nrotationPollInterval: 30s\nrotationPollJitter: 5s\ncacheFreshness: 2m\n"
            + "endpointConcurrency: 4\ncircuitOpen: 10s\n");
    watcher.check();
    assertThat(applied.get().logLevel()).contains("debug");
    assertThat(applied.get().cache().pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(applied.get().cache().idleAfter())
        .as("unset keys keep the flags' value")
        .isEqualTo(CacheSettings.DEFAULT.idleAfter());
    assertThat(applied.get().resilience().maxConcurrentPerEndpoint()).isEqualTo(4);
    assertThat(applied.get().resilience().circuitOpenFor()).isEqualTo(Duration.ofSeconds(10));
    assertThat(applied.get().resilience().maxAttempts())
        .isEqualTo(ResilienceSettings.DEFAULT.maxAttempts());
    assertThat(outcomes).containsExactly(true);
    watcher.check();
    assertThat(outcomes).as("an unchanged file is not applied again").containsExactly(true);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "logLevel: [oops",
        "logLevel: loud",
        "rotationPollInterval: soon",
        "unknownKey: 1",
        "rotationPollInterval: 10m",
        "- a list",
        "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]",
        "logLevel: info\nlogLevel: debug",
        "endpointConcurrency: 0",
        "backendMaxAttempts: many"
      })
  void brokenFile_isRejected_previousKept_logged_counted_andNotEchoed(String content)
      throws Exception {
    ReloadableConfig before = applied.get();
    Files.writeString(file, content + "\n# " + Canaries.SECRET + "\n");
    watcher.check();
    assertThat(applied.get()).isSameAs(before);
    assertThat(outcomes).containsExactly(false);
    assertThat(logs.text()).contains("configuration file rejected");
    logs.assertNoCanary(Canaries.all());
    watcher.check();
    assertThat(outcomes).as("the same broken file is reported once").containsExactly(false);
  }

  /**
   * Defaults as serve builds them for a backend that declared one allow-list of URL-ish entries.
   */
  private static ConfigDefaults withAllowList() {
    AllowLists lists = new AllowLists();
    lists.declare(
        "testAllowedHosts",
        entry -> {
          if (!entry.startsWith("https://")) {
            throw new IllegalArgumentException("an entry must be an https URL");
          }
          return entry.toLowerCase(java.util.Locale.ROOT);
        });
    return new ConfigDefaults(
        CacheSettings.DEFAULT, ResilienceSettings.DEFAULT, "-", lists.checks());
  }

  @Test
  void auditLogAndAllowLists_areParsed_andUnsetOnesKeepTheFlags() {
    ReloadableConfig config =
        ReloadableConfig.parse(
            "auditLog: /var/log/ssp/audit.jsonl\ntestAllowedHosts: [\"https://A.example\", \"https://a.example\"]\n",
            withAllowList());
    assertThat(config.auditLog()).isEqualTo("/var/log/ssp/audit.jsonl");
    assertThat(config.allowLists())
        .as("entries normalised by the backend's check, duplicates folded")
        .containsExactly(java.util.Map.entry("testAllowedHosts", List.of("https://a.example")));

    ReloadableConfig unset = ReloadableConfig.parse("logLevel: info\n", withAllowList());
    assertThat(unset.auditLog()).as("the flag's destination").isEqualTo("-");
    assertThat(unset.allowLists())
        .as("a list the file leaves out falls back to its flag")
        .isEmpty();

    assertThat(ReloadableConfig.parse("auditLog: ''\ntestAllowedHosts: []\n", withAllowList()))
        .satisfies(
            off -> {
              assertThat(off.auditLog()).as("audit off").isEmpty();
              assertThat(off.allowLists().get("testAllowedHosts"))
                  .as("an empty list allows nothing")
                  .isEmpty();
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "auditLog: relative/audit.jsonl|auditLog",
        "auditLog: 42|auditLog",
        "auditLog: [a]|auditLog",
        "testAllowedHosts: https://single.example|testAllowedHosts",
        "testAllowedHosts: [1]|testAllowedHosts[0]",
        "testAllowedHosts: [\"https://ok.example\", \"ftp://CANARY\"]|testAllowedHosts[1]: an entry must be an https URL",
        "otherAllowedHosts: []|unknown key"
      })
  void badAuditOrAllowListValue_rejectsTheFile_namingTheKey_notTheValue(String row) {
    String[] parts = row.split("\\|");
    String content = parts[0].replace("CANARY", Canaries.SECRET);
    assertThatThrownBy(() -> ReloadableConfig.parse(content, withAllowList()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(parts[1])
        .satisfies(e -> LogCapture.assertNoCanaryIn(e.getMessage(), Canaries.all()))
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("relative/audit")
                    .doesNotContain("single.example"));
  }

  @Test
  void brokenFileAtStart_failsTheStart() throws Exception {
    Files.writeString(file, "cacheIdle: forever\n");
    ConfigFileWatcher broken =
        new ConfigFileWatcher(
            file,
            ConfigDefaults.of(CacheSettings.DEFAULT, ResilienceSettings.DEFAULT),
            applied::set,
            outcomes::add);
    assertThatThrownBy(() -> broken.start(Duration.ofHours(1))).hasMessageContaining("cacheIdle");
    broken.close();
  }
}
