// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.ResilienceSettings;
import io.secretsstore.provider.yaml.SafeYaml;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The settings a running provider takes from its configuration file (a ConfigMap) and applies
 * without a restart: the log level, the cache's polling timings, endpoint protections, the audit
 * destination, and the backend's allow-lists. Keys are the camel-case names of the flags they
 * override; an unknown key, a bad value or an impossible combination rejects the whole file, naming
 * the key, never echoing the value.
 *
 * @param logLevel trace, debug, info, warn or error
 * @param cache the cache settings after applying the file to the flags' values
 * @param resilience the endpoint protections after applying the file to the flags' values
 * @param auditLog where audit events go: a file, {@code -} for stdout, empty for nowhere
 * @param allowLists the allow-lists the file sets, by key, entries checked and normalised; a
 *     declared list the file leaves out is absent, so its flag applies
 */
public record ReloadableConfig(
    Optional<String> logLevel,
    CacheSettings cache,
    ResilienceSettings resilience,
    String auditLog,
    Map<String, List<String>> allowLists) {
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
      return new ReloadableConfig(
          Optional.empty(), defaults.cache(), defaults.resilience(), defaults.auditLog(), Map.of());
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("the configuration file must be a YAML mapping");
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String name)
          || !(Settings.byConfigKey(name).isPresent()
              || defaults.allowListChecks().containsKey(name))) {
        Set<String> known = new TreeSet<>(defaults.allowListChecks().keySet());
        Settings.ALL.forEach(setting -> setting.configKey().ifPresent(known::add));
        throw new IllegalArgumentException(
            "unknown key "
                + (key instanceof String name && name.matches("[A-Za-z0-9_.-]{1,64}")
                    ? "\"" + name + "\" "
                    : "")
                + "in the configuration file; known keys: "
                + known);
      }
    }
    SettingValues values =
        SettingValues.of(defaults.cache(), defaults.resilience(), defaults.auditLog());
    for (Setting<?> setting : Settings.ALL) {
      Object value = setting.configKey().map(map::get).orElse(null);
      if (value != null) {
        values = withValue(values, setting, value);
      }
    }
    Map<String, List<String>> allowLists = new TreeMap<>();
    defaults
        .allowListChecks()
        .forEach(
            (key, check) -> {
              if (map.get(key) != null) {
                allowLists.put(key, allowList(key, map.get(key), check));
              }
            });
    if (!values.refreshBeforeStale()) {
      // The one rule across keys, which may come from the file or the flags it overrides.
      throw new IllegalArgumentException(
          "the configuration file's settings are inconsistent: cache freshness must be longer than the"
              + " poll interval plus jitter (keys rotationPollInterval, rotationPollJitter and cacheFreshness, or the flags they override)");
    }
    Optional<String> level =
        map.get("logLevel") == null
            ? Optional.empty()
            : Optional.of(values.get(Settings.LOG_LEVEL));
    return new ReloadableConfig(
        level, values.cache(), values.resilience(), values.get(Settings.AUDIT_LOG), allowLists);
  }

  private static <T extends Comparable<T>> SettingValues withValue(
      SettingValues values, Setting<T> setting, Object value) {
    return values.with(setting, setting.fromConfig(value));
  }

  private static List<String> allowList(String key, Object value, UnaryOperator<String> check) {
    if (!(value instanceof List<?> entries) || entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          key + " must be a list of at most " + MAX_ENTRIES + " strings");
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
}
