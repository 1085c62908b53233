// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.MountLimits;
import io.secretsstore.provider.fetch.ResilienceSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The mount engine's flags: limits, caching and rotation polling, endpoint protection. */
final class EngineOptions {
  @Option(names = "--mount-timeout", defaultValue = "90s", converter = DurationConverter.class,
      description = "Deadline of one Mount, inside kubelet's 2 minutes (default: ${DEFAULT-VALUE}).")
  Duration mountTimeout;

  @Option(names = "--max-objects", defaultValue = "256", description = "Objects one SecretProviderClass may list (default: ${DEFAULT-VALUE}).")
  int maxObjects;

  @Option(names = "--max-response-bytes", defaultValue = "4194304",
      description = "Size limit of one Mount response; the driver's receive limit (default: ${DEFAULT-VALUE}).")
  long maxResponseBytes;

  @Option(names = "--fetch-concurrency", defaultValue = "32", description = "Backend fetches running at once across all mounts (default: ${DEFAULT-VALUE}).")
  int fetchConcurrency;

  @Option(names = "--rotation-poll-interval", defaultValue = "2m", converter = DurationConverter.class,
      description = "How often objects in use are re-read in the background (default: ${DEFAULT-VALUE}).")
  Duration pollInterval;

  @Option(names = "--rotation-poll-jitter", defaultValue = "15s", converter = DurationConverter.class,
      description = "Up to how much later each refresh happens, to spread them out (default: ${DEFAULT-VALUE}).")
  Duration pollJitter;

  @Option(names = "--cache-freshness", defaultValue = "5m", converter = DurationConverter.class,
      description = "Oldest a cached object may be when a Mount is answered; must exceed interval plus jitter (default: ${DEFAULT-VALUE}).")
  Duration freshness;

  @Option(names = "--cache-idle", defaultValue = "10m", converter = DurationConverter.class,
      description = "Objects no Mount asked for this long are dropped (default: ${DEFAULT-VALUE}).")
  Duration idle;

  @Option(names = "--cache-max-bytes", defaultValue = "16777216",
      description = "Cache size bound in bytes of secret content; keep it well under the heap (-Xmx64m in the launcher) (default: ${DEFAULT-VALUE}).")
  long cacheMaxBytes;

  @Option(names = "--cache-max-entries", defaultValue = "10000", description = "Cache size bound in objects (default: ${DEFAULT-VALUE}).")
  int cacheMaxEntries;

  @Option(names = "--endpoint-concurrency", defaultValue = "16", description = "Backend calls in flight per endpoint (default: ${DEFAULT-VALUE}).")
  int endpointConcurrency;

  @Option(names = "--backend-max-attempts", defaultValue = "3",
      description = "Calls per object for throttling and transient failures, the first included (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--circuit-failures", defaultValue = "5",
      description = "Consecutive throttling or transient failures that pause calls to an endpoint (default: ${DEFAULT-VALUE}).")
  int circuitFailures;

  @Option(names = "--circuit-open", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long calls to a failing endpoint are paused (default: ${DEFAULT-VALUE}).")
  Duration circuitOpen;

  /** The settings, after checking every flag so that an error names the flag at fault. */
  EngineSettings settings() {
    FlagChecks.positive("--mount-timeout", mountTimeout);
    FlagChecks.atLeast("--max-objects", maxObjects, 1);
    FlagChecks.atLeast("--max-response-bytes", maxResponseBytes, 1);
    FlagChecks.atLeast("--fetch-concurrency", fetchConcurrency, 1);
    FlagChecks.positive("--rotation-poll-interval", pollInterval);
    FlagChecks.notNegative("--rotation-poll-jitter", pollJitter);
    if (freshness.compareTo(pollInterval.plus(pollJitter)) <= 0) {
      throw new IllegalArgumentException("--cache-freshness must be longer than --rotation-poll-interval plus --rotation-poll-jitter");
    }
    FlagChecks.positive("--cache-idle", idle);
    FlagChecks.atLeast("--cache-max-bytes", cacheMaxBytes, 1);
    FlagChecks.atLeast("--cache-max-entries", cacheMaxEntries, 1);
    FlagChecks.atLeast("--endpoint-concurrency", endpointConcurrency, 1);
    FlagChecks.atLeast("--backend-max-attempts", maxAttempts, 1);
    FlagChecks.atLeast("--circuit-failures", circuitFailures, 1);
    FlagChecks.positive("--circuit-open", circuitOpen);
    return new EngineSettings(
        new MountLimits(maxObjects, maxResponseBytes, mountTimeout),
        new CacheSettings(pollInterval, pollJitter, freshness, idle, cacheMaxBytes, cacheMaxEntries),
        new ResilienceSettings(endpointConcurrency, maxAttempts, ResilienceSettings.DEFAULT.baseBackoff(),
            ResilienceSettings.DEFAULT.maxBackoff(), circuitFailures, circuitOpen),
        fetchConcurrency);
  }
}
