// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import java.time.Duration;

/**
 * Checks operator flags before anything is built from them, so each error names the flag at fault
 * (the settings records underneath only know their own field names).
 */
final class FlagChecks {
  private FlagChecks() {}

  static void atLeast(String flag, long value, long minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(flag + " must be at least " + minimum);
    }
  }

  static void positive(String flag, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(flag + " must be longer than 0s");
    }
  }

  static void notNegative(String flag, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(flag + " must not be negative");
    }
  }
}
