// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import java.time.Duration;

/**
 * Where a backend reports each call it makes to its cloud, for per-operation metrics. Operation
 * names are constants of the backend ({@code login}, {@code GetSecretValue}) and outcomes a small
 * set ({@code OK}, an HTTP status, {@code unreachable}): never object names or error texts.
 */
@FunctionalInterface
public interface BackendCalls {
  /** Records nothing. */
  BackendCalls NONE = (operation, outcome, duration) -> {};

  void record(String operation, String outcome, Duration duration);
}
