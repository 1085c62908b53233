// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import static io.secretsstore.provider.config.SettingType.BYTES;
import static io.secretsstore.provider.config.SettingType.COUNT;
import static io.secretsstore.provider.config.SettingType.DURATION;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.MountLimits;
import io.secretsstore.provider.fetch.ResilienceSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings of {@code serve} and {@code sync}, each declared once: the engine's limits, cache
 * and endpoint protections, the log level, the audit destination and the processes' own tunables.
 * Engine defaults are the settings records' own, so the records and the flags cannot disagree.
 * Per-backend flags live with their backend; flags that name things (addresses, files, the backend)
 * stay with their command.
 */
public final class Settings {
  /** Reloadable counts share one ceiling, so a typo in a ConfigMap cannot unleash a backend. */
  private static final Bounds<Integer> RELOADABLE_COUNT = Bounds.between(1, 10_000);

  private static final Bounds<Duration> POSITIVE = Bounds.above(Duration.ZERO);

  public static final Setting<Duration> MOUNT_TIMEOUT =
      Setting.atStart(
          "mountTimeout",
          DURATION,
          MountLimits.DEFAULT.mountTimeout(),
          POSITIVE,
          "Deadline of one Mount, inside kubelet's 2 minutes.");
  public static final Setting<Integer> MAX_OBJECTS =
      Setting.atStart(
          "maxObjects",
          COUNT,
          MountLimits.DEFAULT.maxObjects(),
          Bounds.atLeast(1),
          "Objects one SecretProviderClass may list.");
  public static final Setting<Long> MAX_RESPONSE_BYTES =
      Setting.atStart(
          "maxResponseBytes",
          BYTES,
          MountLimits.DEFAULT.maxResponseBytes(),
          Bounds.atLeast(1L),
          "Size limit of one Mount response; the driver's receive limit.");
  public static final Setting<Integer> FETCH_CONCURRENCY =
      Setting.atStart(
          "fetchConcurrency",
          COUNT,
          EngineSettings.DEFAULT.fetchConcurrency(),
          Bounds.atLeast(1),
          "Backend fetches running at once across all mounts.");
  public static final Setting<Duration> ROTATION_POLL_INTERVAL =
      Setting.reloadable(
          "rotationPollInterval",
          DURATION,
          CacheSettings.DEFAULT.pollInterval(),
          Optional.of(POSITIVE),
          "How often objects in use are re-read in the background.");
  public static final Setting<Duration> ROTATION_POLL_JITTER =
      Setting.reloadable(
          "rotationPollJitter",
          DURATION,
          CacheSettings.DEFAULT.pollJitter(),
          Optional.of(Bounds.atLeast(Duration.ZERO)),
          "Up to how much later each refresh happens, to spread them out.");
  public static final Setting<Duration> CACHE_FRESHNESS =
      Setting.reloadable(
          "cacheFreshness",
          DURATION,
          CacheSettings.DEFAULT.freshness(),
          Optional.of(POSITIVE),
          "Oldest a cached object may be when a Mount is answered; must exceed interval plus jitter.");
  public static final Setting<Duration> CACHE_IDLE =
      Setting.reloadable(
          "cacheIdle",
          DURATION,
          CacheSettings.DEFAULT.idleAfter(),
          Optional.of(POSITIVE),
          "Objects no Mount asked for this long are dropped.");
  public static final Setting<Long> CACHE_MAX_BYTES =
      Setting.atStart(
          "cacheMaxBytes",
          BYTES,
          CacheSettings.DEFAULT.maxBytes(),
          Bounds.atLeast(1L),
          "Cache size bound in bytes of secret content; keep it well under the heap (-Xmx64m in the launcher).");
  public static final Setting<Integer> CACHE_MAX_ENTRIES =
      Setting.atStart(
          "cacheMaxEntries",
          COUNT,
          CacheSettings.DEFAULT.maxEntries(),
          Bounds.atLeast(1),
          "Cache size bound in objects.");
  public static final Setting<Integer> ENDPOINT_CONCURRENCY =
      Setting.reloadable(
          "endpointConcurrency",
          COUNT,
          ResilienceSettings.DEFAULT.maxConcurrentPerEndpoint(),
          Optional.of(RELOADABLE_COUNT),
          "Backend calls in flight per endpoint.");
  public static final Setting<Integer> BACKEND_MAX_ATTEMPTS =
      Setting.reloadable(
          "backendMaxAttempts",
          COUNT,
          ResilienceSettings.DEFAULT.maxAttempts(),
          Optional.of(RELOADABLE_COUNT),
          "Calls per object for throttling and transient failures, the first included.");
  public static final Setting<Integer> CIRCUIT_FAILURES =
      Setting.reloadable(
          "circuitFailures",
          COUNT,
          ResilienceSettings.DEFAULT.circuitFailureThreshold(),
          Optional.of(RELOADABLE_COUNT),
          "Consecutive 5xx or connection failures, from at least two identities, that pause calls to an endpoint (throttling never does).");
  public static final Setting<Duration> CIRCUIT_OPEN =
      Setting.reloadable(
          "circuitOpen",
          DURATION,
          ResilienceSettings.DEFAULT.circuitOpenFor(),
          Optional.of(POSITIVE),
          "How long calls to a failing endpoint are paused.");
  public static final Setting<String> LOG_LEVEL =
      Setting.reloadable(
          "logLevel", SettingType.LOG_LEVEL, "info", Optional.empty(), "How much is logged.");
  public static final Setting<String> AUDIT_LOG =
      Setting.reloadable(
          "auditLog",
          SettingType.AUDIT_DESTINATION,
          "-",
          Optional.empty(),
          "Where audit events go as JSON lines (logs go to stderr); a flag may also name a relative path.");

  public static final Setting<Duration> CONFIG_CHECK_INTERVAL =
      Setting.atStart(
          "configCheckInterval",
          DURATION,
          Duration.ofSeconds(5),
          POSITIVE,
          "How often the --config file is checked for changes.");
  public static final Setting<Integer> GRPC_THREADS =
      Setting.atStart("grpcThreads", COUNT, 16, Bounds.atLeast(1), "Threads serving gRPC calls.")
          .onlyIn("serve");
  public static final Setting<Duration> DRAIN_TIMEOUT =
      Setting.atStart(
              "drainTimeout",
              DURATION,
              Duration.ofSeconds(20),
              Bounds.atLeast(Duration.ZERO),
              "How long SIGTERM waits for in-flight calls.")
          .onlyIn("serve");
  public static final Setting<Duration> SOCKET_CHECK_INTERVAL =
      Setting.atStart(
              "socketCheckInterval",
              DURATION,
              Duration.ofSeconds(2),
              Bounds.atLeast(Duration.ZERO),
              "How often to check that the socket is still there and publish a new one if it was deleted;"
                  + " 0s never checks.")
          .onlyIn("serve");
  public static final Setting<Integer> WORKERS =
      Setting.atStart("workers", COUNT, 4, Bounds.atLeast(1), "SecretSyncs synced at once.")
          .onlyIn("sync");

  /** Every setting, in the order of the README table. */
  public static final List<Setting<?>> ALL =
      List.of(
          MOUNT_TIMEOUT,
          MAX_OBJECTS,
          MAX_RESPONSE_BYTES,
          FETCH_CONCURRENCY,
          ROTATION_POLL_INTERVAL,
          ROTATION_POLL_JITTER,
          CACHE_FRESHNESS,
          CACHE_IDLE,
          CACHE_MAX_BYTES,
          CACHE_MAX_ENTRIES,
          ENDPOINT_CONCURRENCY,
          BACKEND_MAX_ATTEMPTS,
          CIRCUIT_FAILURES,
          CIRCUIT_OPEN,
          LOG_LEVEL,
          AUDIT_LOG,
          CONFIG_CHECK_INTERVAL,
          GRPC_THREADS,
          DRAIN_TIMEOUT,
          SOCKET_CHECK_INTERVAL,
          WORKERS);

  private Settings() {}

  /** The setting a configuration-file key names. */
  public static Optional<Setting<?>> byConfigKey(String key) {
    return ALL.stream().filter(s -> s.configKey().filter(key::equals).isPresent()).findFirst();
  }
}
