// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.audit.SwitchingAuditSink;
import io.secretsstore.provider.config.ConfigApplier;
import io.secretsstore.provider.config.ConfigDefaults;
import io.secretsstore.provider.config.ConfigFileWatcher;
import io.secretsstore.provider.config.SettingValues;
import io.secretsstore.provider.config.Settings;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.metrics.ProviderMetrics;
import io.secretsstore.provider.spi.AllowLists;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The configuration file of {@code serve} and {@code sync}: watched and applied the same way by
 * both.
 */
final class ConfigWatching {
  private final ConfigApplier applier;

  private ConfigWatching(ConfigApplier applier) {
    this.applier = applier;
  }

  /**
   * Applies the file now (failing on a broken one) and then whenever it changes. Call after the
   * backend started, so the allow-lists it declared are known, and before the first mount, so none
   * runs under settings the file overrides; then {@link #attach} the mount engine. Without a file
   * there is nothing to watch.
   *
   * @param file the file, or null when {@code --config} is not given
   * @param flags the flags' values, which the file overrides
   */
  static Optional<ConfigWatching> startIn(
      Assembly parts,
      Path file,
      SettingValues flags,
      SwitchingAuditSink sink,
      AllowLists allowLists,
      ProviderMetrics metrics)
      throws IOException {
    if (file == null) {
      return Optional.empty();
    }
    ConfigApplier applier = new ConfigApplier(flags.get(Settings.LOG_LEVEL), sink, allowLists);
    ConfigFileWatcher watcher =
        parts.add(
            "configuration watcher",
            new ConfigFileWatcher(
                file,
                new ConfigDefaults(
                    flags.cache(),
                    flags.resilience(),
                    flags.get(Settings.AUDIT_LOG),
                    allowLists.checks()),
                applier,
                metrics));
    watcher.start(flags.get(Settings.CONFIG_CHECK_INTERVAL));
    return Optional.of(new ConfigWatching(applier));
  }

  /** Applies the file's engine settings to the running engine, now and on every change. */
  void attach(MountEngine engine) {
    applier.attach(engine);
  }
}
