// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How a setting's value is written and read, as a flag and in the configuration file. A parser
 * answers empty for text that is not a value of the type, so the caller names the flag or key.
 *
 * @param expected what a value looks like, completing "FLAG must be ..."
 * @param paramLabel the placeholder in {@code --help}
 * @param fromFlag reads a flag's text
 * @param fromConfig reads a scalar of the configuration file, as text
 * @param toText writes a value back, as a flag's default and in the README
 */
public record SettingType<T extends Comparable<T>>(
    String expected,
    String paramLabel,
    Function<String, Optional<T>> fromFlag,
    Function<String, Optional<T>> fromConfig,
    Function<T, String> toText) {
  private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

  /** A whole number, for counts. */
  public static final SettingType<Integer> COUNT =
      both("a whole number", "N", SettingType::wholeNumber, String::valueOf);

  /** A whole number of bytes. */
  public static final SettingType<Long> BYTES =
      both(
          "a whole number of bytes",
          "BYTES",
          text -> wholeNumber(text).map(Integer::longValue).or(() -> longNumber(text)),
          String::valueOf);

  /** {@code 500ms}, {@code 90s}, {@code 2m}, {@code 1h}. */
  public static final SettingType<Duration> DURATION =
      both(
          "a duration such as 500ms, 90s, 2m or 1h",
          "DURATION",
          Durations::parse,
          SettingType::durationText);

  /** A log level, in any case. */
  public static final SettingType<String> LOG_LEVEL =
      both(
          "one of trace, debug, info, warn or error",
          "LEVEL",
          text -> Optional.of(text.strip().toLowerCase(Locale.ROOT)).filter(LEVELS::contains),
          level -> level);

  /**
   * Where audit events go. A flag may name a file relative to the working directory; the file, read
   * by a running process whose working directory the operator does not see, needs an absolute path.
   */
  public static final SettingType<String> AUDIT_DESTINATION =
      new SettingType<>(
          "- (stdout), an empty string (no audit) or an absolute file path",
          "FILE|-",
          Optional::of,
          text -> Optional.of(text.strip()).filter(SettingType::isDestination),
          destination -> destination);

  private static <T extends Comparable<T>> SettingType<T> both(
      String expected,
      String label,
      Function<String, Optional<T>> parse,
      Function<T, String> toText) {
    return new SettingType<>(expected, label, parse, parse, toText);
  }

  private static Optional<Integer> wholeNumber(String text) {
    return longNumber(text)
        .filter(n -> n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE)
        .map(Long::intValue);
  }

  private static Optional<Long> longNumber(String text) {
    String digits = text.strip();
    return digits.matches("-?\\d{1,18}") ? Optional.of(Long.parseLong(digits)) : Optional.empty();
  }

  private static boolean isDestination(String text) {
    return text.isEmpty()
        || text.equals("-")
        || (text.startsWith("/")
            && text.length() <= 4096
            && text.chars().noneMatch(c -> c < 0x20 || c == 0x7f));
  }

  /** The largest unit that writes the duration exactly, as {@link Durations} reads it. */
  static String durationText(Duration duration) {
    long millis = duration.toMillis();
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
