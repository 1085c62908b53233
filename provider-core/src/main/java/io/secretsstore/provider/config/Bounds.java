// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import java.util.Optional;
import java.util.function.Function;

/**
 * The values a setting accepts: a lower bound, inclusive or not, and an optional upper one.
 *
 * @param min the lower bound
 * @param minExcluded whether a value must be above {@code min} rather than at least it
 * @param max the upper bound, inclusive, if there is one
 */
public record Bounds<T extends Comparable<T>>(T min, boolean minExcluded, Optional<T> max) {
  /** At least {@code min}. */
  public static <T extends Comparable<T>> Bounds<T> atLeast(T min) {
    return new Bounds<>(min, false, Optional.empty());
  }

  /** Above {@code min}. */
  public static <T extends Comparable<T>> Bounds<T> above(T min) {
    return new Bounds<>(min, true, Optional.empty());
  }

  /** From {@code min} to {@code max}, both included. */
  public static <T extends Comparable<T>> Bounds<T> between(T min, T max) {
    return new Bounds<>(min, false, Optional.of(max));
  }

  /** Whether {@code value} lies within. */
  public boolean contain(T value) {
    int fromMin = value.compareTo(min);
    return (minExcluded ? fromMin > 0 : fromMin >= 0)
        && max.map(m -> value.compareTo(m) <= 0).orElse(true);
  }

  /**
   * The bounds in words, completing "FLAG must be ...", e.g. "at least 1", "longer than 0s",
   * "between 1 and 10000".
   */
  public String describe(Function<T, String> text, boolean isDuration) {
    if (max.isPresent()) {
      return "between " + text.apply(min) + " and " + text.apply(max.get());
    }
    if (minExcluded) {
      return (isDuration ? "longer than " : "more than ") + text.apply(min);
    }
    return "at least " + text.apply(min);
  }
}
