// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.fetch.EngineSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The settings table is consistent, and a bad value is reported by its flag or key, never repeated.
 */
class SettingsTest {
  private static final String CANARY = "s3cr3t-canary-4711";

  @Test
  void everyDefault_isWithinItsBounds_andReadsBackAsItself() {
    for (Setting<?> setting : Settings.ALL) {
      assertThat(setting.fromFlag(setting.defaultText()))
          .as(setting.flag())
          .isEqualTo(setting.defaultValue());
    }
  }

  @Test
  void theDefaults_areTheSettingsRecordsDefaults() {
    assertThat(SettingValues.defaults().engine()).isEqualTo(EngineSettings.DEFAULT);
  }

  @Test
  void everyFlagAndName_isUnique() {
    Set<String> flags = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Setting<?> setting : Settings.ALL) {
      assertThat(flags.add(setting.flag())).as(setting.flag()).isTrue();
      assertThat(names.add(setting.name())).as(setting.name()).isTrue();
      assertThat(setting.flag()).matches("--[a-z]+(-[a-z]+)*");
    }
  }

  @Test
  void everyConfigKey_belongsToAReloadableSetting_andEveryReloadableSettingHasOne() {
    for (Setting<?> setting : Settings.ALL) {
      assertThat(setting.configKey().isPresent())
          .as(setting.flag())
          .isEqualTo(setting.reloadable());
      setting.configKey().ifPresent(key -> assertThat(Settings.byConfigKey(key)).contains(setting));
    }
    assertThat(Settings.byConfigKey("maxObjects"))
        .as("a setting read only at start has no key")
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--mount-timeout|soon|--mount-timeout must be a duration such as 500ms, 90s, 2m or 1h",
        "--mount-timeout|0s|--mount-timeout must be longer than 0s",
        "--rotation-poll-jitter|0s|",
        "--max-objects|many|--max-objects must be a whole number",
        "--max-objects|0|--max-objects must be at least 1",
        "--max-objects|99999999999|--max-objects must be a whole number",
        "--cache-max-bytes|-1|--cache-max-bytes must be at least 1",
        "--endpoint-concurrency|10001|--endpoint-concurrency must be between 1 and 10000",
        "--log-level|LOUD|--log-level must be one of trace, debug, info, warn or error",
      })
  void aFlagsBadValue_namesTheFlagAndItsBounds(String flag, String value, String message) {
    Setting<?> setting =
        Settings.ALL.stream().filter(s -> s.flag().equals(flag)).findFirst().orElseThrow();
    if (message == null) {
      assertThat(setting.fromFlag(value)).isNotNull();
      return;
    }
    assertThatThrownBy(() -> setting.fromFlag(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void aBadValue_isNeverRepeated_asAFlagOrAKey() {
    for (Setting<?> setting : Settings.ALL) {
      if (setting.type() != SettingType.AUDIT_DESTINATION) {
        assertThatThrownBy(() -> setting.fromFlag(CANARY))
            .hasMessageStartingWith(setting.flag() + " must be")
            .message()
            .doesNotContain(CANARY);
      }
      setting
          .configKey()
          .ifPresent(
              key -> {
                assertThatThrownBy(() -> setting.fromConfig(CANARY))
                    .hasMessageStartingWith(key + " must be")
                    .message()
                    .doesNotContain(CANARY);
                assertThatThrownBy(() -> setting.fromConfig(List.of(CANARY)))
                    .hasMessageStartingWith(key + " must be");
              });
    }
  }

  @Test
  void theAuditDestination_mayBeRelativeAsAFlag_butMustBeAbsoluteInTheFile() {
    assertThat(Settings.AUDIT_LOG.fromFlag("audit.jsonl")).isEqualTo("audit.jsonl");
    assertThat(Settings.AUDIT_LOG.fromConfig(" /var/log/audit.jsonl "))
        .isEqualTo("/var/log/audit.jsonl");
    assertThatThrownBy(() -> Settings.AUDIT_LOG.fromConfig("audit.jsonl"))
        .hasMessageStartingWith("auditLog must be -");
  }

  @Test
  void durations_areWrittenInTheLargestExactUnit() {
    assertThat(
            List.of(
                Settings.MOUNT_TIMEOUT.defaultText(),
                Settings.ROTATION_POLL_INTERVAL.defaultText()))
        .containsExactly("90s", "2m");
    assertThat(SettingType.durationText(java.time.Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(SettingType.durationText(java.time.Duration.ofHours(2))).isEqualTo("2h");
  }
}
