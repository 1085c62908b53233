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
final class ConfigWatching implements AutoCloseable {
  private final ConfigFileWatcher watcher;
  private final ConfigApplier applier;

  private ConfigWatching(ConfigFileWatcher watcher, ConfigApplier applier) {
    this.watcher = watcher;
    this.applier = applier;
  }

  /**
   * Applies the file now (failing on a broken one) and then whenever it changes. Call after the
   * backend started, so the allow-lists it declared are known, and before the first mount, so none
   * runs under settings the file overrides; then {@link #attach} the mount engine.
   *
   * @param logLevel the level of {@code --log-level}
   */
  static ConfigWatching start(Path file, Duration checkInterval, EngineSettings flags, AuditOptions audit,
      String logLevel, SwitchingAuditSink sink, AllowLists allowLists, ProviderMetrics metrics) throws IOException {
    ConfigApplier applier = new ConfigApplier(logLevel, sink, allowLists);
    ConfigFileWatcher watcher = new ConfigFileWatcher(file,
        new ConfigDefaults(flags.cache(), flags.resilience(), audit.destination(), allowLists.checks()), applier, metrics);
    try {
      watcher.start(checkInterval);
    } catch (IOException | RuntimeException e) {
      watcher.close();
      throw e;
    }
    return new ConfigWatching(watcher, applier);
  }

  /** Applies the file's engine settings to the running engine, now and on every change. */
  void attach(MountEngine engine) {
    applier.attach(engine);
  }

  @Override
  public void close() {
    watcher.close();
  }
}
