// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.ResilienceSettings;
import io.secretsstore.provider.yaml.SafeYaml;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The settings a running provider takes from its configuration file (a ConfigMap) and applies
 * without a restart: the log level, the cache's polling timings, endpoint protections, the audit
 * destination, and the backend's allow-lists. Keys are the camel-case names of the flags they
 * override; an unknown key, a bad value or an impossible combination rejects the whole file,
 * naming the key, never echoing the value.
 *
 * @param logLevel trace, debug, info, warn or error
 * @param cache the cache settings after applying the file to the flags' values
 * @param resilience the endpoint protections after applying the file to the flags' values
 * @param auditLog where audit events go: a file, {@code -} for stdout, empty for nowhere
 * @param allowLists the allow-lists the file sets, by key, entries checked and normalised; a
 *     declared list the file leaves out is absent, so its flag applies
 */
public record ReloadableConfig(Optional<String> logLevel, CacheSettings cache, ResilienceSettings resilience,
    String auditLog, Map<String, List<String>> allowLists) {
  private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");
  private static final Set<String> KEYS =
      Set.of("logLevel", "rotationPollInterval", "rotationPollJitter", "cacheFreshness", "cacheIdle",
          "endpointConcurrency", "backendMaxAttempts", "circuitFailures", "circuitOpen", "auditLog");
  private static final int MAX_ENTRIES = 1000;

  public ReloadableConfig {
    allowLists = Map.copyOf(allowLists);
  }

  /**
   * Parses a file's text on top of the flags' values.
   *
   * @throws IllegalArgumentException naming the key at fault
   */
  public static ReloadableConfig parse(String text, ConfigDefaults defaults) {
    Object document;
    try {
      document = new Load(SafeYaml.settings("config", new CoreSchema())).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("the configuration file is not valid YAML");
    }
    if (document == null) {
      return new ReloadableConfig(Optional.empty(), defaults.cache(), defaults.resilience(), defaults.auditLog(), Map.of());
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("the configuration file must be a YAML mapping");
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String name) || !(KEYS.contains(name) || defaults.allowListChecks().containsKey(name))) {
        Set<String> known = new TreeSet<>(KEYS);
        known.addAll(defaults.allowListChecks().keySet());
        throw new IllegalArgumentException("unknown key " + (key instanceof String name && name.matches("[A-Za-z0-9_.-]{1,64}") ? "\"" + name + "\" " : "")
            + "in the configuration file; known keys: " + known);
      }
    }
    Optional<String> level = Optional.ofNullable(map.get("logLevel")).map(v -> v.toString().toLowerCase(Locale.ROOT));
    if (level.isPresent() && !LEVELS.contains(level.get())) {
      throw new IllegalArgumentException("logLevel must be one of " + LEVELS);
    }
    String auditLog = auditLog(map.get("auditLog"), defaults.auditLog());
    Map<String, List<String>> allowLists = new TreeMap<>();
    defaults.allowListChecks().forEach((key, check) -> {
      if (map.get(key) != null) {
        allowLists.put(key, allowList(key, map.get(key), check));
      }
    });
    try {
      CacheSettings base = defaults.cache();
      CacheSettings cache = new CacheSettings(
          duration(map, "rotationPollInterval", base.pollInterval()),
          duration(map, "rotationPollJitter", base.pollJitter()),
          duration(map, "cacheFreshness", base.freshness()),
          duration(map, "cacheIdle", base.idleAfter()),
          base.maxBytes(),
          base.maxEntries());
      ResilienceSettings baseResilience = defaults.resilience();
      ResilienceSettings resilience = new ResilienceSettings(
          count(map, "endpointConcurrency", baseResilience.maxConcurrentPerEndpoint()),
          count(map, "backendMaxAttempts", baseResilience.maxAttempts()),
          baseResilience.baseBackoff(),
          baseResilience.maxBackoff(),
          count(map, "circuitFailures", baseResilience.circuitFailureThreshold()),
          duration(map, "circuitOpen", baseResilience.circuitOpenFor()));
      return new ReloadableConfig(level, cache, resilience, auditLog, allowLists);
    } catch (IllegalArgumentException e) {
      // The one rule across keys; the settings' own message names the fields, not the keys.
      throw new IllegalArgumentException("the configuration file's settings are inconsistent: " + e.getMessage()
          + " (keys rotationPollInterval, rotationPollJitter and cacheFreshness, or the flags they override)");
    }
  }

  /** {@code -}, empty, or an absolute path: a relative one would depend on the working directory. */
  private static String auditLog(@Nullable Object value, String fallback) {
    if (value == null) {
      return fallback;
    }
    String text = value instanceof String s ? s.strip() : "";
    if (!(value instanceof String) || !(text.isEmpty() || text.equals("-") || isAbsolutePath(text))) {
      throw new IllegalArgumentException("auditLog must be - (stdout), an empty string (no audit) or an absolute file path");
    }
    return text;
  }

  private static boolean isAbsolutePath(String text) {
    return text.startsWith("/") && text.length() <= 4096 && text.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static List<String> allowList(String key, Object value, UnaryOperator<String> check) {
    if (!(value instanceof List<?> entries) || entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(key + " must be a list of at most " + MAX_ENTRIES + " strings");
    }
    Set<String> checked = new LinkedHashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.get(i) instanceof String entry)) {
        throw new IllegalArgumentException(key + "[" + i + "] must be a string");
      }
      try {
        checked.add(check.apply(entry));
      } catch (IllegalArgumentException e) {
        // The check's message names the rule; the entry itself is not repeated.
        throw new IllegalArgumentException(key + "[" + i + "]: " + e.getMessage());
      }
    }
    return List.copyOf(checked);
  }

  private static int count(Map<?, ?> map, String key, int fallback) {
    Object value = map.get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number) || number.longValue() < 1 || number.longValue() > 10_000) {
      throw new IllegalArgumentException(key + " must be a whole number between 1 and 10000");
    }
    return number.intValue();
  }

  private static Duration duration(Map<?, ?> map, String key, Duration fallback) {
    Object value = map.get(key);
    if (value == null) {
      return fallback;
    }
    return Durations.parse(value.toString())
        .orElseThrow(() -> new IllegalArgumentException(key + " must be a duration such as 500ms, 90s, 2m or 1h"));
  }
}
