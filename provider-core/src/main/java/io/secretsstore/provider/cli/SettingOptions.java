// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.config.Setting;
import io.secretsstore.provider.config.SettingValues;
import io.secretsstore.provider.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flags of {@link Settings}, made from the table and added to a command. Picocli keeps each
 * flag's text; {@link #values} reads it after parsing, so that a bad value fails in one line naming
 * the flag (never echoing the value) as the other operator errors do.
 */
final class SettingOptions {
  private final Map<Setting<?>, OptionSpec> options = new LinkedHashMap<>();

  /** Adds the flag of every setting {@code command} takes; {@link #values} reads them back. */
  void addTo(CommandLine command) {
    CommandSpec mixin = CommandSpec.create();
    for (Setting<?> setting : Settings.ALL) {
      if (!setting.commands().contains(command.getCommandName())) {
        continue;
      }
      OptionSpec option =
          OptionSpec.builder(setting.flag())
              .type(String.class)
              .paramLabel(setting.type().paramLabel())
              .defaultValue(setting.defaultText())
              .description(
                  setting.help()
                      + " Default: ${DEFAULT-VALUE}"
                      + setting.configKey().map(key -> "; config key " + key).orElse("")
                      + ".")
              .build();
      mixin.addOption(option);
      options.put(setting, option);
    }
    command.getCommandSpec().addMixin("settings", mixin);
  }

  /**
   * The values of the flags, each checked against its type and bounds.
   *
   * @throws IllegalArgumentException naming the flag at fault
   */
  SettingValues values() {
    SettingValues values = SettingValues.defaults();
    for (Map.Entry<Setting<?>, OptionSpec> entry : options.entrySet()) {
      values = withFlag(values, entry.getKey(), entry.getValue().getValue());
    }
    if (!values.refreshBeforeStale()) {
      throw new IllegalArgumentException(
          "--cache-freshness must be longer than --rotation-poll-interval plus --rotation-poll-jitter");
    }
    return values;
  }

  private static <T extends Comparable<T>> SettingValues withFlag(
      SettingValues values, Setting<T> setting, String text) {
    return values.with(setting, setting.fromFlag(text));
  }
}
