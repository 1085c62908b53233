// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import io.secretsstore.provider.audit.SwitchingAuditSink;
import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.fetch.ResilienceSettings;
import io.secretsstore.provider.logging.LogSetup;
import io.secretsstore.provider.spi.AllowLists;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Applies a reloaded configuration to the running parts of {@code serve} and {@code sync}: audit
 * destination, log level, allow-lists, mount engine. The audit switch goes first because it is the
 * only step that can fail (its file may not open); when it does, nothing else is applied, so a
 * rejected file never leaves half of itself in force.
 *
 * <p>The file is applied before the socket accepts a mount, so that no mount ever runs under the
 * flags' allow-lists when the file narrows them; the mount engine, created with the socket, is
 * {@linkplain #attach attached} afterwards and then receives the settings applied so far.
 */
public final class ConfigApplier implements Consumer<ReloadableConfig> {
  private final String flagLogLevel;
  private final SwitchingAuditSink audit;
  private final AllowLists allowLists;
  private @Nullable MountEngine engine;
  private @Nullable CacheSettings cache;
  private @Nullable ResilienceSettings resilience;

  /**
   * @param flagLogLevel the level of {@code --log-level}, restored when the file sets none
   */
  public ConfigApplier(String flagLogLevel, SwitchingAuditSink audit, AllowLists allowLists) {
    this.flagLogLevel = flagLogLevel;
    this.audit = audit;
    this.allowLists = allowLists;
  }

  @Override
  public synchronized void accept(ReloadableConfig config) {
    audit.switchTo(config.auditLog());
    LogSetup.setLevel(config.logLevel().orElse(flagLogLevel));
    allowLists.replace(config.allowLists());
    cache = config.cache();
    resilience = config.resilience();
    if (engine != null) {
      engine.updateCacheSettings(cache);
      engine.updateResilience(resilience);
    }
  }

  /**
   * Hands over the running mount engine, applying the file's engine settings to it now and from
   * then on.
   */
  public synchronized void attach(MountEngine running) {
    engine = running;
    if (cache != null && resilience != null) {
      engine.updateCacheSettings(cache);
      engine.updateResilience(resilience);
    }
  }
}
