// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.ResilienceSettings;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What the configuration file is applied on top of: the values the flags gave, and the allow-lists
 * the running backend declared (the only allow-list keys the file may set).
 *
 * @param cache the cache settings from flags
 * @param resilience the endpoint protections from flags
 * @param auditLog the audit destination from {@code --audit-log}: a file, {@code -} for stdout,
 *     empty for none
 * @param allowListChecks each declared allow-list key with the check of one entry
 */
public record ConfigDefaults(
    CacheSettings cache,
    ResilienceSettings resilience,
    String auditLog,
    Map<String, UnaryOperator<String>> allowListChecks) {
  public ConfigDefaults {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(resilience, "resilience");
    Objects.requireNonNull(auditLog, "auditLog");
    allowListChecks = Map.copyOf(allowListChecks);
  }

  /** Defaults with audit to stdout and no allow-lists (tests). */
  public static ConfigDefaults of(CacheSettings cache, ResilienceSettings resilience) {
    return new ConfigDefaults(cache, resilience, "-", Map.of());
  }
}
