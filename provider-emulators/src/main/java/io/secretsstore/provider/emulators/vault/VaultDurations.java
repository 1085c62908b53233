// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretsstore.provider.emulators.EmulatorError;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vault's duration syntax: whole seconds as a number or string, or Go-style {@code 1h30m}, {@code
 * 90s}, {@code 2d}.
 */
final class VaultDurations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private VaultDurations() {}

  static Duration parse(JsonNode value, String field) {
    if (value.canConvertToLong() && value.isIntegralNumber()) {
      return seconds(value.asLong(), field);
    }
    String text = value.asText("").trim();
    if (text.matches("\\d+")) {
      return seconds(Long.parseLong(text), field);
    }
    Matcher parts = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (parts.find() && parts.start() == end) {
      long amount = Long.parseLong(parts.group(1));
      total =
          total.plus(
              switch (parts.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
              });
      end = parts.end();
    }
    if (text.isEmpty() || end != text.length()) {
      throw new EmulatorError(400, "error parsing " + field + ": invalid duration");
    }
    return total;
  }

  private static Duration seconds(long seconds, String field) {
    if (seconds < 0) {
      throw new EmulatorError(400, "error parsing " + field + ": negative duration");
    }
    return Duration.ofSeconds(seconds);
  }
}
