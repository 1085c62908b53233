// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The provider's Prometheus metrics and their HTTP endpoint. Labels carry only bounded values
 * (backend name, gRPC code), never object names, paths or error texts.
 */
public final class ProviderMetrics implements MountObserver, AutoCloseable {
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
  private HTTPServer server;

  public ProviderMetrics() {
    JvmMetrics.builder().register(registry);
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
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
