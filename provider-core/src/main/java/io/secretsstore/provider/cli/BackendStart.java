// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.metrics.ProviderMetrics;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.SecretBackend;

/** Starts the backend of {@code serve} and {@code sync}: the one place either calls the backend SPI's start. */
final class BackendStart {
  private BackendStart() {}

  /**
   * Starts {@code backend}, to be closed with the process's other parts.
   *
   * @return the context the backend was started with (its allow-lists, its call metrics)
   */
  static BackendContext startIn(Assembly parts, SecretBackend backend, ProviderMetrics metrics) throws Exception {
    BackendContext context = BackendContext.standard(metrics.callsOf(backend.name()));
    backend.start(context);
    parts.add("backend", backend, backend::close);
    return context;
  }
}
