// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.audit.SwitchingAuditSink;
import io.secretsstore.provider.config.ConfigApplier;
import io.secretsstore.provider.config.ConfigDefaults;
import io.secretsstore.provider.config.ConfigFileWatcher;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.metrics.ProviderMetrics;
import io.secretsstore.provider.spi.AllowLists;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** The configuration file of {@code serve} and {@code sync}: watched and applied the same way by both. */
final class ConfigWatching {
  private ConfigWatching() {}

  /**
   * Applies the file now (failing on a broken one) and then whenever it changes; call after the
   * backend started, so the allow-lists it declared are known.
   *
   * @param logLevel the level of {@code --log-level}
   */
  static ConfigFileWatcher start(Path file, Duration checkInterval, EngineSettings flags, AuditOptions audit,
      String logLevel, MountEngine engine, SwitchingAuditSink sink, AllowLists allowLists, ProviderMetrics metrics)
      throws IOException {
    ConfigFileWatcher watcher = new ConfigFileWatcher(file,
        new ConfigDefaults(flags.cache(), flags.resilience(), audit.destination(), allowLists.checks()),
        new ConfigApplier(logLevel, engine, sink, allowLists), metrics);
    try {
      watcher.start(checkInterval);
    } catch (IOException | RuntimeException e) {
      watcher.close();
      throw e;
    }
    return watcher;
  }
}
