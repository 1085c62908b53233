// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import io.secretsstore.provider.concurrent.NamedThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and applies it when its content changes. Polls the content rather
 * than using file events: a ConfigMap volume updates by swapping a symlinked directory, which file
 * watchers see inconsistently. A file that cannot be read or parsed is rejected, logged and
 * counted, and the previous configuration stays in force.
 */
public final class ConfigFileWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigFileWatcher.class);

  private final Path file;
  private final ConfigDefaults defaults;
  private final Consumer<ReloadableConfig> apply;
  private final Outcomes outcomes;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(new NamedThreads("config-watch"));
  private byte @Nullable [] applied;

  /** Counts applied and rejected files, for a metric. */
  public interface Outcomes {
    void reloaded(boolean applied);
  }

  /**
   * @param defaults the flags' values, which the file overrides, and the allow-lists it may set
   * @param apply applies a parsed configuration, or throws {@link IllegalArgumentException} naming
   *     the key it cannot apply (e.g. an audit file that cannot be opened) after applying nothing
   */
  public ConfigFileWatcher(
      Path file, ConfigDefaults defaults, Consumer<ReloadableConfig> apply, Outcomes outcomes) {
    this.file = file;
    this.defaults = defaults;
    this.apply = apply;
    this.outcomes = outcomes;
  }

  /**
   * Applies the file now, failing when it is invalid (a provider should not start on a broken
   * configuration), then checks it every {@code period}.
   */
  public void start(java.time.Duration period) throws IOException {
    byte[] content = Files.readAllBytes(file);
    apply.accept(ReloadableConfig.parse(new String(content, StandardCharsets.UTF_8), defaults));
    applied = content;
    timer.scheduleWithFixedDelay(
        this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads the file and applies it if it changed; public for tests. */
  public synchronized void check() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      reject("the configuration file cannot be read (" + e.getClass().getSimpleName() + ")");
      return;
    }
    if (Arrays.equals(content, applied)) {
      return;
    }
    try {
      apply.accept(ReloadableConfig.parse(new String(content, StandardCharsets.UTF_8), defaults));
      applied = content;
      outcomes.reloaded(true);
      LOG.atInfo().addKeyValue("file", file.toString()).log("configuration reloaded");
    } catch (IllegalArgumentException e) {
      // Remember the rejected content so the same broken file is reported once, not every poll.
      applied = content;
      reject(Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()));
    }
  }

  private void reject(String reason) {
    outcomes.reloaded(false);
    LOG.atWarn()
        .addKeyValue("file", file.toString())
        .addKeyValue("reason", reason)
        .log("configuration file rejected; the previous configuration stays in force");
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
