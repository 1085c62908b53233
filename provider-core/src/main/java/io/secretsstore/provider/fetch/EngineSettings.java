// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import java.util.Objects;

/**
 * Everything that tunes the mount engine.
 *
 * @param limits per-mount bounds
 * @param cache caching and rotation polling
 * @param resilience protection of backend endpoints
 * @param fetchConcurrency backend fetches running at once across all mounts
 */
public record EngineSettings(
    MountLimits limits, CacheSettings cache, ResilienceSettings resilience, int fetchConcurrency) {
  /** The defaults of each part, 32 fetches at once. */
  public static final EngineSettings DEFAULT =
      new EngineSettings(
          MountLimits.DEFAULT, CacheSettings.DEFAULT, ResilienceSettings.DEFAULT, 32);

  public EngineSettings {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(resilience, "resilience");
    if (fetchConcurrency < 1) {
      throw new IllegalArgumentException("fetch concurrency must be at least 1");
    }
  }

  /** The same settings with other limits. */
  public EngineSettings withLimits(MountLimits other) {
    return new EngineSettings(other, cache, resilience, fetchConcurrency);
  }
}
