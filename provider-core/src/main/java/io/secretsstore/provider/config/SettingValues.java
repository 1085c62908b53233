// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import static io.secretsstore.provider.config.Settings.BACKEND_MAX_ATTEMPTS;
import static io.secretsstore.provider.config.Settings.CACHE_FRESHNESS;
import static io.secretsstore.provider.config.Settings.CACHE_IDLE;
import static io.secretsstore.provider.config.Settings.CACHE_MAX_BYTES;
import static io.secretsstore.provider.config.Settings.CACHE_MAX_ENTRIES;
import static io.secretsstore.provider.config.Settings.CIRCUIT_FAILURES;
import static io.secretsstore.provider.config.Settings.CIRCUIT_OPEN;
import static io.secretsstore.provider.config.Settings.ENDPOINT_CONCURRENCY;
import static io.secretsstore.provider.config.Settings.FETCH_CONCURRENCY;
import static io.secretsstore.provider.config.Settings.MAX_OBJECTS;
import static io.secretsstore.provider.config.Settings.MAX_RESPONSE_BYTES;
import static io.secretsstore.provider.config.Settings.MOUNT_TIMEOUT;
import static io.secretsstore.provider.config.Settings.ROTATION_POLL_INTERVAL;
import static io.secretsstore.provider.config.Settings.ROTATION_POLL_JITTER;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.MountLimits;
import io.secretsstore.provider.fetch.ResilienceSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A value for each setting of {@link Settings}, and the settings records made from them. The
 * records hold what the table does not (the backoff), taken from their defaults.
 */
public final class SettingValues {
  private final Map<Setting<?>, Object> values;

  private SettingValues(Map<Setting<?>, Object> values) {
    this.values = Map.copyOf(values);
  }

  /** Every setting at its default. */
  public static SettingValues defaults() {
    Map<Setting<?>, Object> values = new HashMap<>();
    Settings.ALL.forEach(setting -> values.put(setting, setting.defaultValue()));
    return new SettingValues(values);
  }

  /**
   * The defaults, with the cache, endpoint protections and audit destination a running process has.
   */
  public static SettingValues of(
      CacheSettings cache, ResilienceSettings resilience, String auditLog) {
    return defaults()
        .with(ROTATION_POLL_INTERVAL, cache.pollInterval())
        .with(ROTATION_POLL_JITTER, cache.pollJitter())
        .with(CACHE_FRESHNESS, cache.freshness())
        .with(CACHE_IDLE, cache.idleAfter())
        .with(CACHE_MAX_BYTES, cache.maxBytes())
        .with(CACHE_MAX_ENTRIES, cache.maxEntries())
        .with(ENDPOINT_CONCURRENCY, resilience.maxConcurrentPerEndpoint())
        .with(BACKEND_MAX_ATTEMPTS, resilience.maxAttempts())
        .with(CIRCUIT_FAILURES, resilience.circuitFailureThreshold())
        .with(CIRCUIT_OPEN, resilience.circuitOpenFor())
        .with(Settings.AUDIT_LOG, auditLog);
  }

  /** The value of one setting. */
  @SuppressWarnings("unchecked") // with() puts only a T under a Setting<T>
  public <T extends Comparable<T>> T get(Setting<T> setting) {
    // Every setting has a value: defaults() starts from all of them and with() only replaces.
    return (T) Objects.requireNonNull(values.get(setting), setting.name());
  }

  /** These values with one replaced. */
  public <T extends Comparable<T>> SettingValues with(Setting<T> setting, T value) {
    Map<Setting<?>, Object> changed = new HashMap<>(values);
    changed.put(setting, value);
    return new SettingValues(changed);
  }

  /**
   * Whether cached objects stay fresh until their refresh: freshness must exceed interval plus
   * jitter.
   */
  public boolean refreshBeforeStale() {
    return get(CACHE_FRESHNESS)
            .compareTo(get(ROTATION_POLL_INTERVAL).plus(get(ROTATION_POLL_JITTER)))
        > 0;
  }

  /** The cache settings. */
  public CacheSettings cache() {
    return new CacheSettings(
        get(ROTATION_POLL_INTERVAL),
        get(ROTATION_POLL_JITTER),
        get(CACHE_FRESHNESS),
        get(CACHE_IDLE),
        get(CACHE_MAX_BYTES),
        get(CACHE_MAX_ENTRIES));
  }

  /** The endpoint protections. */
  public ResilienceSettings resilience() {
    ResilienceSettings fixed = ResilienceSettings.DEFAULT;
    return new ResilienceSettings(
        get(ENDPOINT_CONCURRENCY),
        get(BACKEND_MAX_ATTEMPTS),
        fixed.baseBackoff(),
        fixed.maxBackoff(),
        get(CIRCUIT_FAILURES),
        get(CIRCUIT_OPEN));
  }

  /** Everything that tunes the mount engine. */
  public EngineSettings engine() {
    return new EngineSettings(
        new MountLimits(get(MAX_OBJECTS), get(MAX_RESPONSE_BYTES), get(MOUNT_TIMEOUT)),
        cache(),
        resilience(),
        get(FETCH_CONCURRENCY));
  }
}
