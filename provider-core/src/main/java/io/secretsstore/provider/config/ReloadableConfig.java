// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.ResilienceSettings;
import io.secretsstore.provider.yaml.SafeYaml;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The settings a running provider takes from its configuration file (a ConfigMap) and applies
 * without a restart: the log level and the cache's polling timings. Keys are the camel-case names
 * of the flags they override; an unknown key, a bad value or an impossible combination rejects the
 * whole file, naming the key, never echoing the value.
 *
 * @param logLevel trace, debug, info, warn or error
 * @param cache the cache settings after applying the file to the flags' values
 * @param resilience the endpoint protections after applying the file to the flags' values
 */
public record ReloadableConfig(Optional<String> logLevel, CacheSettings cache, ResilienceSettings resilience) {
  private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");
  private static final Set<String> KEYS =
      Set.of("logLevel", "rotationPollInterval", "rotationPollJitter", "cacheFreshness", "cacheIdle",
          "endpointConcurrency", "backendMaxAttempts", "circuitFailures", "circuitOpen");

  /**
   * Parses a file's text on top of the settings given by flags.
   *
   * @throws IllegalArgumentException naming the key at fault
   */
  public static ReloadableConfig parse(String text, CacheSettings base, ResilienceSettings baseResilience) {
    Object document;
    try {
      document = new Load(SafeYaml.settings("config", new CoreSchema())).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("the configuration file is not valid YAML");
    }
    if (document == null) {
      return new ReloadableConfig(Optional.empty(), base, baseResilience);
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("the configuration file must be a YAML mapping");
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String name) || !KEYS.contains(name)) {
        throw new IllegalArgumentException("unknown key in the configuration file; known keys: " + KEYS);
      }
    }
    Optional<String> level = Optional.ofNullable(map.get("logLevel")).map(v -> v.toString().toLowerCase(Locale.ROOT));
    if (level.isPresent() && !LEVELS.contains(level.get())) {
      throw new IllegalArgumentException("logLevel must be one of " + LEVELS);
    }
    try {
      CacheSettings cache = new CacheSettings(
          duration(map, "rotationPollInterval", base.pollInterval()),
          duration(map, "rotationPollJitter", base.pollJitter()),
          duration(map, "cacheFreshness", base.freshness()),
          duration(map, "cacheIdle", base.idleAfter()),
          base.maxBytes(),
          base.maxEntries());
      ResilienceSettings resilience = new ResilienceSettings(
          count(map, "endpointConcurrency", baseResilience.maxConcurrentPerEndpoint()),
          count(map, "backendMaxAttempts", baseResilience.maxAttempts()),
          baseResilience.baseBackoff(),
          baseResilience.maxBackoff(),
          count(map, "circuitFailures", baseResilience.circuitFailureThreshold()),
          duration(map, "circuitOpen", baseResilience.circuitOpenFor()));
      return new ReloadableConfig(level, cache, resilience);
    } catch (IllegalArgumentException e) {
      // The settings' own messages name the rule (e.g. freshness must exceed interval plus jitter).
      throw new IllegalArgumentException("the configuration file's settings are inconsistent: " + e.getMessage());
    }
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
