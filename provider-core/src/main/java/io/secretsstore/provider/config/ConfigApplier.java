// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import io.secretsstore.provider.audit.SwitchingAuditSink;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.logging.LogSetup;
import io.secretsstore.provider.spi.AllowLists;
import java.util.function.Consumer;

/**
 * Applies a reloaded configuration to the running parts of {@code serve} and {@code sync}: audit
 * destination, log level, mount engine, allow-lists. The audit switch goes first because it is the
 * only step that can fail (its file may not open); when it does, nothing else is applied, so a
 * rejected file never leaves half of itself in force.
 */
public final class ConfigApplier implements Consumer<ReloadableConfig> {
  private final String flagLogLevel;
  private final MountEngine engine;
  private final SwitchingAuditSink audit;
  private final AllowLists allowLists;

  /**
   * @param flagLogLevel the level of {@code --log-level}, restored when the file sets none
   */
  public ConfigApplier(String flagLogLevel, MountEngine engine, SwitchingAuditSink audit, AllowLists allowLists) {
    this.flagLogLevel = flagLogLevel;
    this.engine = engine;
    this.audit = audit;
    this.allowLists = allowLists;
  }

  @Override
  public void accept(ReloadableConfig config) {
    audit.switchTo(config.auditLog());
    LogSetup.setLevel(config.logLevel().orElse(flagLogLevel));
    engine.updateCacheSettings(config.cache());
    engine.updateResilience(config.resilience());
    allowLists.replace(config.allowLists());
  }
}
