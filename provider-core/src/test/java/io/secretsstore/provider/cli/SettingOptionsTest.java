// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.config.Setting;
import io.secretsstore.provider.config.SettingValues;
import io.secretsstore.provider.config.Settings;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The flags made from the settings table: each command has exactly its settings, and they read back
 * typed and checked.
 */
class SettingOptionsTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"serve", "sync"})
  void eachCommand_hasTheFlagsOfItsSettings_only(String command) {
    CommandSpec spec = Main.commandLine().getSubcommands().get(command).getCommandSpec();
    for (Setting<?> setting : Settings.ALL) {
      assertThat(spec.findOption(setting.flag()) != null)
          .as(command + " " + setting.flag())
          .isEqualTo(setting.commands().contains(command));
    }
    assertThat(new CommandLine(spec).getUsageMessage().replaceAll("\\s+", " "))
        .contains("--cache-max-bytes=BYTES")
        .contains("(-Xmx64m in the launcher). Default: 16777216.")
        .contains("re-read in the background. Default: 2m; config key rotationPollInterval.");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"serve", "sync"})
  void parsedFlags_readBackTyped_andUnsetOnesKeepTheirDefault(String command) {
    CommandLine line = bare(command);
    SettingOptions options = new SettingOptions();
    options.addTo(line);
    line.parseArgs();
    assertThat(options.values().engine()).isEqualTo(SettingValues.defaults().engine());
    line.parseArgs("--cache-idle", "1h", "--log-level", "DEBUG");
    SettingValues values = options.values();
    assertThat(values.get(Settings.CACHE_IDLE)).isEqualTo(Duration.ofHours(1));
    assertThat(values.get(Settings.LOG_LEVEL)).isEqualTo("debug");
    assertThat(values.get(Settings.MAX_OBJECTS)).isEqualTo(Settings.MAX_OBJECTS.defaultValue());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--cache-freshness=2m", "--rotation-poll-jitter=5m"})
  void freshnessNotPastTheRefresh_isRefused_namingTheThreeFlags(String flag) {
    CommandLine line = bare("serve");
    SettingOptions options = new SettingOptions();
    options.addTo(line);
    line.parseArgs(flag, "--rotation-poll-interval=2m");
    assertThatThrownBy(options::values)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--cache-freshness must be longer than --rotation-poll-interval plus --rotation-poll-jitter");
  }

  /** A command with only the settings' flags, named {@code name}. */
  private static CommandLine bare(String name) {
    return new CommandLine(new Bare()).setCommandName(name);
  }

  /** The command the settings' flags are added to. */
  @CommandLine.Command
  static final class Bare {}
}
