// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Allow-lists the operator may set in the configuration file and change without a restart (e.g. the
 * Vault addresses a SecretProviderClass may name). A backend declares each list it enforces when it
 * starts, with the check of one entry, and reads the current list on every mount; the configuration
 * watcher replaces all lists at once when the file changes. A list the file does not set reads as
 * empty, so the backend's flag stays in force.
 */
public final class AllowLists {
  private static final Pattern KEY = Pattern.compile("[a-z][A-Za-z0-9]{0,63}");

  private final Map<String, UnaryOperator<String>> checks = new ConcurrentHashMap<>();
  private volatile Map<String, List<String>> lists = Map.of();

  /** The current value of one declared allow-list. */
  @FunctionalInterface
  public interface AllowList {
    /**
     * The entries the configuration file sets, normalised by the entry check, or empty when it sets
     * none.
     */
    Optional<List<String>> fromFile();
  }

  /**
   * Declares a list under its configuration key.
   *
   * @param key the key in the configuration file, camel case, starting with the backend's name
   * @param check normalises one entry, or throws {@link IllegalArgumentException} with a message
   *     that names the rule and never echoes the entry
   */
  public AllowList declare(String key, UnaryOperator<String> check) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("an allow-list key must be camel case");
    }
    checks.put(key, Objects.requireNonNull(check, "check"));
    return () -> Optional.ofNullable(lists.get(key));
  }

  /** The declared keys with their entry checks, for the configuration parser. */
  public Map<String, UnaryOperator<String>> checks() {
    return Map.copyOf(checks);
  }

  /**
   * Replaces every list at once with already checked entries; a key left out falls back to its
   * flag.
   */
  public void replace(Map<String, List<String>> checked) {
    lists = Map.copyOf(checked);
  }
}
