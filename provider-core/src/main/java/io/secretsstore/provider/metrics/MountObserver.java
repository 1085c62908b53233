// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.metrics;

import java.time.Duration;

/**
 * Told about every finished Mount, for metrics. Label values are bounded: backend and code only.
 */
@FunctionalInterface
public interface MountObserver {
  /** Observes nothing. */
  MountObserver NONE = (backend, code, duration) -> {};

  /**
   * @param backend the backend name
   * @param code the gRPC code name the mount ended with, e.g. {@code OK}
   * @param duration how long the mount took
   */
  void mountFinished(String backend, String code, Duration duration);
}
