// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.secretsstore.provider.config.ConfigFileWatcher;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.spi.BackendCalls;
import io.secretsstore.provider.spi.ErrorKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The provider's Prometheus metrics and their HTTP endpoint. Labels carry only bounded values
 * (backend name, gRPC code), never object names, paths or error texts.
 */
public final class ProviderMetrics implements MountObserver, SyncObserver, FetchEvents, ConfigFileWatcher.Outcomes, AutoCloseable {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter mounts =
      Counter.builder()
          .name("secrets_store_provider_mount_requests_total")
          .help("Mount requests by backend and gRPC code")
          .labelNames("backend", "code")
          .register(registry);
  private final Histogram mountDuration =
      Histogram.builder()
          .name("secrets_store_provider_mount_duration_seconds")
          .help("Mount latency by backend")
          .labelNames("backend")
          .register(registry);
  private final Counter cache =
      Counter.builder()
          .name("secrets_store_provider_cache_requests_total")
          .help("Objects asked of the cache by backend and result (hit, miss, join = single-flight join)")
          .labelNames("backend", "result")
          .register(registry);
  private final Counter evictions =
      Counter.builder()
          .name("secrets_store_provider_cache_evictions_total")
          .help("Cached objects dropped (idle, stale or over the size bound)")
          .labelNames("backend")
          .register(registry);
  private final Counter backendCalls =
      Counter.builder()
          .name("secrets_store_provider_backend_requests_total")
          .help("Backend calls by backend and outcome (OK or the error kind)")
          .labelNames("backend", "outcome")
          .register(registry);
  private final Histogram backendDuration =
      Histogram.builder()
          .name("secrets_store_provider_backend_request_duration_seconds")
          .help("Backend call latency by backend")
          .labelNames("backend")
          .register(registry);
  private final Counter rotations =
      Counter.builder()
          .name("secrets_store_provider_rotations_detected_total")
          .help("Background refreshes that found new content")
          .labelNames("backend")
          .register(registry);
  private final Counter throttled =
      Counter.builder()
          .name("secrets_store_provider_backend_throttled_total")
          .help("Backend calls refused by throttling")
          .labelNames("backend")
          .register(registry);
  private final Counter circuits =
      Counter.builder()
          .name("secrets_store_provider_circuit_opened_total")
          .help("Times calls to a failing endpoint were paused, by the kind of failure")
          .labelNames("backend", "kind")
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
          .help("Calls to the cloud API by backend, operation and outcome (OK, HTTP status or unreachable)")
          .labelNames("backend", "operation", "outcome")
          .register(registry);
  private final Histogram backendOperationDuration =
      Histogram.builder()
          .name("secrets_store_provider_backend_operation_duration_seconds")
          .help("Latency of calls to the cloud API by backend and operation")
          .labelNames("backend", "operation")
          .register(registry);
  private final Counter syncs =
      Counter.builder()
          .name("secrets_store_provider_syncs_total")
          .help("SecretSync syncs by backend and outcome (the condition reason, e.g. SecretUpToDate)")
          .labelNames("backend", "outcome")
          .register(registry);
  private final Histogram syncDuration =
      Histogram.builder()
          .name("secrets_store_provider_sync_duration_seconds")
          .help("SecretSync sync latency by backend")
          .labelNames("backend")
          .register(registry);
  private final Counter secretsWritten =
      Counter.builder()
          .name("secrets_store_provider_sync_secrets_written_total")
          .help("Kubernetes Secrets created or changed by the SecretSync controller")
          .labelNames("backend")
          .register(registry);
  private HTTPServer server;

  /**
   * @param reusedPayloads how many payload fingerprints were served under more than one owner
   */
  public ProviderMetrics(java.util.function.LongSupplier reusedPayloads) {
    JvmMetrics.builder().register(registry);
    GaugeWithCallback.builder()
        .name("secrets_store_provider_reused_payloads")
        .help("Secret values (by keyed fingerprint) served under more than one backend/namespace/object")
        .callback(callback -> callback.call(reusedPayloads.getAsLong()))
        .register(registry);
  }

  /** Serves {@code /metrics} on the address. */
  public void serve(InetSocketAddress address) throws IOException {
    server =
        HTTPServer.builder()
            .hostname(address.getHostString())
            .port(address.getPort())
            .registry(registry)
            .buildAndStart();
  }

  /** The port the endpoint listens on (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void mountFinished(String backend, String code, Duration duration) {
    mounts.labelValues(backend, code).inc();
    mountDuration.labelValues(backend).observe(duration.toNanos() / 1e9);
  }

  @Override
  public void syncFinished(String backend, String outcome, Duration duration) {
    syncs.labelValues(backend, outcome).inc();
    syncDuration.labelValues(backend).observe(duration.toNanos() / 1e9);
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
    backendDuration.labelValues(backend).observe(duration.toNanos() / 1e9);
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
    return (operation, outcome, duration) -> {
      backendOperations.labelValues(backend, operation, outcome).inc();
      backendOperationDuration.labelValues(backend, operation).observe(duration.toNanos() / 1e9);
    };
  }

  @Override
  public void reloaded(boolean applied) {
    configReloads.labelValues(applied ? "applied" : "rejected").inc();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
