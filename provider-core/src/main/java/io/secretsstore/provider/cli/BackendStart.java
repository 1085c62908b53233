// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.metrics.ProviderMetrics;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.SecretBackend;

/**
 * Starts the backend of {@code serve} and {@code sync}: the one place either calls the backend
 * SPI's start.
 */
final class BackendStart {
  private BackendStart() {}

  /**
   * A started backend and the context it was started with.
   *
   * @param context its allow-lists, its call metrics and the process's Kubernetes client
   * @param backend what mounts are planned with
   */
  record Started(BackendContext context, SecretBackend backend) {}

  /**
   * Starts the backend of {@code factory}, to be closed with the process's other parts; the
   * process's Kubernetes client is added first, so it is closed after everything that uses it.
   */
  static Started startIn(Assembly parts, BackendFactory factory, ProviderMetrics metrics)
      throws Exception {
    BackendContext context = BackendContext.standard(metrics.callsOf(factory.name()));
    parts.add("kubernetes client", context.kube());
    SecretBackend backend = factory.start(context);
    parts.add("backend", backend, backend::close);
    return new Started(context, backend);
  }
}
