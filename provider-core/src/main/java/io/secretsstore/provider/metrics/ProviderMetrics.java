// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.secretsstore.provider.ProviderVersion;
import io.secretsstore.provider.config.ConfigFileWatcher;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.http.BoundedHttpServer;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.spi.BackendCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The provider's Prometheus metrics. Labels carry only bounded values, never object names, paths or
 * error texts. The label naming the backend is {@code provider}, as on the CSI driver's own
 * metrics, so the two join. Label meanings are fixed: {@code code} is the gRPC code a Mount ended
 * with, {@code outcome} is {@code OK} or the error kind of a backend fetch, {@code status} is what
 * the cloud's API answered ({@code OK}, an HTTP or gRPC status, {@code unreachable}), and {@code
 * reason} is a SecretSync condition reason.
 */
public final class ProviderMetrics
    implements MountObserver, SyncObserver, FetchEvents, ConfigFileWatcher.Outcomes, AutoCloseable {
  /** Latency buckets in seconds, up to kubelet's 2-minute mount limit (a mount may take 90 s). */
  static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 90, 120
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private @Nullable BoundedHttpServer server;
  private final Counter mounts =
      Counter.builder()
          .name("secrets_store_provider_mount_requests_total")
          .help("Mount requests by provider and the gRPC code they ended with")
          .labelNames("provider", "code")
          .register(registry);
  private final Histogram mountDuration =
      Histogram.builder()
          .name("secrets_store_provider_mount_duration_seconds")
          .help("Mount latency by provider")
          .labelNames("provider")
          .classicUpperBounds(LATENCY_BUCKETS)
          .register(registry);
  private final Counter cache =
      Counter.builder()
          .name("secrets_store_provider_cache_requests_total")
          .help(
              "Objects asked of the cache by provider and result (hit, miss, join = single-flight join)")
          .labelNames("provider", "result")
          .register(registry);
  private final Counter evictions =
      Counter.builder()
          .name("secrets_store_provider_cache_evictions_total")
          .help("Cached objects dropped (idle, stale or over the size bound)")
          .labelNames("provider")
          .register(registry);
  private final Counter backendCalls =
      Counter.builder()
          .name("secrets_store_provider_backend_requests_total")
          .help(
              "Object fetches from the backend by provider and outcome (OK or the error kind, a gRPC code name)")
          .labelNames("provider", "outcome")
          .register(registry);
  private final Histogram backendDuration =
      Histogram.builder()
          .name("secrets_store_provider_backend_request_duration_seconds")
          .help("Object fetch latency by provider")
          .labelNames("provider")
          .classicUpperBounds(LATENCY_BUCKETS)
          .register(registry);
  private final Counter rotations =
      Counter.builder()
          .name("secrets_store_provider_rotations_detected_total")
          .help("Background refreshes that found new content")
          .labelNames("provider")
          .register(registry);
  private final Counter throttled =
      Counter.builder()
          .name("secrets_store_provider_backend_throttled_total")
          .help("Backend calls refused by throttling")
          .labelNames("provider")
          .register(registry);
  private final Counter circuits =
      Counter.builder()
          .name("secrets_store_provider_circuit_opened_total")
          .help(
              "Times calls to a failing endpoint were paused, by the error kind that opened the circuit")
          .labelNames("provider", "outcome")
          .register(registry);
  private final Counter configReloads =
      Counter.builder()
          .name("secrets_store_provider_config_reloads_total")
          .help("Configuration file changes, applied or rejected")
          .labelNames("result")
          .register(registry);
  private final Counter backendOperations =
      Counter.builder()
          .name("secrets_store_provider_backend_operations_total")
          .help(
              "Calls to the cloud API by provider, operation and status (OK, the HTTP or gRPC status, or unreachable)")
          .labelNames("provider", "operation", "status")
          .register(registry);
  private final Histogram backendOperationDuration =
      Histogram.builder()
          .name("secrets_store_provider_backend_operation_duration_seconds")
          .help("Latency of calls to the cloud API by provider and operation")
          .labelNames("provider", "operation")
          .classicUpperBounds(LATENCY_BUCKETS)
          .register(registry);
  private final Counter syncs =
      Counter.builder()
          .name("secrets_store_provider_syncs_total")
          .help(
              "SecretSync syncs by provider and reason (the condition reason, e.g. SecretUpToDate)")
          .labelNames("provider", "reason")
          .register(registry);
  private final Histogram syncDuration =
      Histogram.builder()
          .name("secrets_store_provider_sync_duration_seconds")
          .help("SecretSync sync latency by provider")
          .labelNames("provider")
          .classicUpperBounds(LATENCY_BUCKETS)
          .register(registry);
  private final Counter secretsWritten =
      Counter.builder()
          .name("secrets_store_provider_sync_secrets_written_total")
          .help("Kubernetes Secrets created or changed by the SecretSync controller")
          .labelNames("provider")
          .register(registry);

  /**
   * Metrics of one provider process; every counter with a known set of label values starts at zero
   * for each, so a rate or an alert has a series before the first event.
   *
   * @param provider the backend's name (the {@code provider} label)
   * @param reusedPayloads how many payload fingerprints were served under more than one owner
   */
  public ProviderMetrics(String provider, LongSupplier reusedPayloads) {
    JvmMetrics.builder().register(registry);
    GaugeWithCallback.builder()
        .name("secrets_store_provider_build_info")
        .help(
            "Always 1; the labels say which build runs: version, provider, and the JVM's vendor and version")
        .labelNames("version", "provider", "jvm")
        .callback(
            callback ->
                callback.call(
                    1,
                    ProviderVersion.get(),
                    provider,
                    System.getProperty("java.vm.vendor", "") + " " + Runtime.version()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("secrets_store_provider_reused_payloads")
        .help(
            "Secret values (by keyed fingerprint) served under more than one backend/namespace/object")
        .callback(callback -> callback.call(reusedPayloads.getAsLong()))
        .register(registry);
    List<String> codes = new ArrayList<>();
    codes.add("OK");
    for (ErrorKind kind : ErrorKind.values()) {
      codes.add(kind.name());
    }
    for (String code : codes) {
      mounts.labelValues(provider, code);
      backendCalls.labelValues(provider, code);
    }
    for (String result : List.of("hit", "miss", "join")) {
      cache.labelValues(provider, result);
    }
    for (ErrorKind kind : List.of(ErrorKind.UNAVAILABLE, ErrorKind.RESOURCE_EXHAUSTED)) {
      circuits.labelValues(provider, kind.name());
    }
    evictions.labelValues(provider);
    rotations.labelValues(provider);
    throttled.labelValues(provider);
    configReloads.labelValues("applied");
    configReloads.labelValues("rejected");
  }

  /** Adds the cache's size gauges: objects held and the bytes they count against the bound. */
  public void watchCache(MountEngine engine) {
    GaugeWithCallback.builder()
        .name("secrets_store_provider_cache_entries")
        .help("Objects in the shared cache")
        .callback(callback -> callback.call(engine.cachedObjects()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("secrets_store_provider_cache_bytes")
        .help(
            "Bytes the cached objects count against --cache-max-bytes (content plus per-entry overhead)")
        .callback(callback -> callback.call(engine.cachedBytes()))
        .register(registry);
  }

  /**
   * Adds {@code backend_up}: 1 while the backend says it can serve, 0 otherwise.
   *
   * @param backendProblem why the backend cannot serve, or empty; called on each scrape, so it
   *     should answer from a recent check
   */
  public void watchBackend(String provider, Supplier<Optional<String>> backendProblem) {
    GaugeWithCallback.builder()
        .name("secrets_store_provider_backend_up")
        .help(
            "1 when the backend answers its readiness check, else 0 (whether readiness includes it is --readiness-includes-backend)")
        .labelNames("provider")
        .callback(callback -> callback.call(backendProblem.get().isEmpty() ? 1 : 0, provider))
        .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Serves {@code /metrics} in the Prometheus text format on the address, through the same
   * stall-proof server as the health endpoints.
   */
  public void serve(InetSocketAddress address) throws IOException {
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    server =
        BoundedHttpServer.start(
            address,
            Map.of(
                "/metrics",
                request -> {
                  ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
                  try {
                    writer.write(body, registry.scrape(), EscapingScheme.DEFAULT);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  return new BoundedHttpServer.Response(
                      200, writer.getContentType(), body.toByteArray());
                }),
            2,
            "metrics");
  }

  /** The port {@code /metrics} listens on (useful with port 0). */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("/metrics is not being served");
    }
    return server.port();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  public void mountFinished(String backend, String code, Duration duration) {
    mounts.labelValues(backend, code).inc();
    mountDuration.labelValues(backend).observe(seconds(duration));
  }

  @Override
  public void syncFinished(String backend, String outcome, Duration duration) {
    syncs.labelValues(backend, outcome).inc();
    syncDuration.labelValues(backend).observe(seconds(duration));
  }

  @Override
  public void secretWritten(String backend) {
    secretsWritten.labelValues(backend).inc();
  }

  @Override
  public void cacheHit(String backend) {
    cache.labelValues(backend, "hit").inc();
  }

  @Override
  public void cacheMiss(String backend) {
    cache.labelValues(backend, "miss").inc();
  }

  @Override
  public void singleFlightJoin(String backend) {
    cache.labelValues(backend, "join").inc();
  }

  @Override
  public void cacheEviction(String backend) {
    evictions.labelValues(backend).inc();
  }

  @Override
  public void backendCall(String backend, String outcome, Duration duration) {
    backendCalls.labelValues(backend, outcome).inc();
    backendDuration.labelValues(backend).observe(seconds(duration));
  }

  @Override
  public void rotationDetected(String backend) {
    rotations.labelValues(backend).inc();
  }

  @Override
  public void throttled(String backend) {
    throttled.labelValues(backend).inc();
  }

  @Override
  public void circuitOpened(String backend, ErrorKind kind) {
    circuits.labelValues(backend, kind.name()).inc();
  }

  /** Where a backend reports its calls to its cloud, labelled with the backend's name. */
  public BackendCalls callsOf(String backend) {
    return (operation, status, duration) -> {
      backendOperations.labelValues(backend, operation, status).inc();
      backendOperationDuration.labelValues(backend, operation).observe(seconds(duration));
    };
  }

  @Override
  public void reloaded(boolean applied) {
    configReloads.labelValues(applied ? "applied" : "rejected").inc();
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
