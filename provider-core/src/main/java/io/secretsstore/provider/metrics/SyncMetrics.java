// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * The metrics a controller dashboard reads, for the SecretSync controller: reconciles by result,
 * the work queue's depth and whether this replica leads. The only labels are {@code provider} (the
 * backend's name) and {@code result} (a fixed set).
 */
public final class SyncMetrics {
  /** How one reconcile ended. */
  public enum Result {
    /** The Secret was created. */
    CREATED,
    /** The Secret was updated. */
    UPDATED,
    /** Nothing changed, nothing was written. */
    UNCHANGED,
    /** The sync failed; the SecretSync's condition says why. */
    ERROR,
    /** Another controller's SecretSync (another provider or controller name), left alone. */
    SKIPPED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String provider;
  private final Counter reconciles;
  private final Gauge leader;
  private final PrometheusRegistry registry;

  public SyncMetrics(PrometheusRegistry registry, String provider) {
    this.registry = registry;
    this.provider = provider;
    this.reconciles =
        Counter.builder()
            .name("secrets_store_provider_sync_reconciles_total")
            .help(
                "SecretSync reconciles by provider and result (created, updated, unchanged, error, skipped)")
            .labelNames("provider", "result")
            .register(registry);
    this.leader =
        Gauge.builder()
            .name("secrets_store_provider_sync_leader")
            .help(
                "1 while this replica holds the sync controller's Lease (or runs without leader election), else 0")
            .labelNames("provider")
            .register(registry);
    for (Result result : Result.values()) {
      reconciles.labelValues(provider, result.label());
    }
    leader.labelValues(provider).set(0);
  }

  /** Counts one reconcile. */
  public void reconciled(Result result) {
    reconciles.labelValues(provider, result.label()).inc();
  }

  /** Records whether this replica leads. */
  public void leading(boolean leading) {
    leader.labelValues(provider).set(leading ? 1 : 0);
  }

  /** Reports the queue's depth on every scrape. */
  public void queueDepth(IntSupplier depth) {
    GaugeWithCallback.builder()
        .name("secrets_store_provider_sync_queue_depth")
        .help("SecretSyncs waiting in the sync controller's work queue")
        .labelNames("provider")
        .callback(callback -> callback.call(depth.getAsInt(), provider))
        .register(registry);
  }
}
