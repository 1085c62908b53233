// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One operator setting, declared once in {@link Settings}: the flag, the configuration-file key,
 * the type, default and bounds, and the help. The flags, the file's parser and the README table are
 * made from it. A bad value is reported by the flag or key, never repeated, since an operator may
 * paste a secret into the wrong flag.
 *
 * @param name the camel-case name, which is also the configuration-file key when there is one
 * @param flag the command-line flag
 * @param configKey the configuration-file key, present exactly when the setting is reloadable
 * @param type how values are written and read
 * @param defaultValue the value when neither flag nor file sets it
 * @param bounds the values accepted, if the type has an order that matters
 * @param reloadable whether a running process takes a new value from the configuration file
 * @param help one sentence for {@code --help} and the README
 * @param commands the commands that take the flag: {@code serve}, {@code sync} or both
 */
public record Setting<T extends Comparable<T>>(
    String name,
    String flag,
    Optional<String> configKey,
    SettingType<T> type,
    T defaultValue,
    Optional<Bounds<T>> bounds,
    boolean reloadable,
    String help,
    Set<String> commands) {
  private static final Set<String> BOTH = Set.of("serve", "sync");

  public Setting {
    Objects.requireNonNull(defaultValue, name);
    commands = Set.copyOf(commands);
  }

  /** A setting only a flag sets, read once at start. */
  static <T extends Comparable<T>> Setting<T> atStart(
      String name, SettingType<T> type, T defaultValue, Bounds<T> bounds, String help) {
    return new Setting<>(
        name,
        flag(name),
        Optional.empty(),
        type,
        defaultValue,
        Optional.of(bounds),
        false,
        help,
        BOTH);
  }

  /** A setting the configuration file may change while the process runs; its key is its name. */
  static <T extends Comparable<T>> Setting<T> reloadable(
      String name, SettingType<T> type, T defaultValue, Optional<Bounds<T>> bounds, String help) {
    return new Setting<>(
        name, flag(name), Optional.of(name), type, defaultValue, bounds, true, help, BOTH);
  }

  /** The same setting, taken only by {@code command}. */
  Setting<T> onlyIn(String command) {
    return new Setting<>(
        name, flag, configKey, type, defaultValue, bounds, reloadable, help, Set.of(command));
  }

  private static String flag(String name) {
    return "--" + name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
  }

  /** The value of the flag's text; an error names the flag. */
  public T fromFlag(String text) {
    return checked(type.fromFlag().apply(text), flag);
  }

  /**
   * The value of a configuration-file scalar; an error names the key.
   *
   * @throws IllegalArgumentException for a list, a mapping, or a value outside the type or bounds
   */
  public T fromConfig(Object value) {
    String key =
        configKey.orElseThrow(() -> new IllegalStateException(name + " has no configuration key"));
    Optional<T> parsed =
        value instanceof List<?> || value instanceof Map<?, ?>
            ? Optional.empty()
            : type.fromConfig().apply(value.toString());
    return checked(parsed, key);
  }

  /** The default as a flag would write it. */
  public String defaultText() {
    return type.toText().apply(defaultValue);
  }

  /** The bounds in words, or empty when any value of the type will do. */
  public String boundsText() {
    return bounds.map(b -> b.describe(type.toText(), type == SettingType.DURATION)).orElse("");
  }

  private T checked(Optional<T> parsed, String as) {
    T value =
        parsed.orElseThrow(() -> new IllegalArgumentException(as + " must be " + type.expected()));
    if (bounds.isPresent() && !bounds.get().contain(value)) {
      throw new IllegalArgumentException(as + " must be " + boundsText());
    }
    return value;
  }
}
