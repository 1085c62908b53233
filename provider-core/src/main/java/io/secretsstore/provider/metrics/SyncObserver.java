// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.metrics;

import java.time.Duration;

/** Told about every SecretSync sync, for metrics. Label values are bounded: backend and outcome. */
public interface SyncObserver {
  /** Observes nothing. */
  SyncObserver NONE =
      new SyncObserver() {
        @Override
        public void syncFinished(String backend, String outcome, Duration duration) {}

        @Override
        public void secretWritten(String backend) {}
      };

  /**
   * @param outcome the condition reason the sync ended with (a fixed set), e.g. {@code
   *     SecretUpToDate}
   */
  void syncFinished(String backend, String outcome, Duration duration);

  /** A Kubernetes Secret was created or changed. */
  void secretWritten(String backend);
}
