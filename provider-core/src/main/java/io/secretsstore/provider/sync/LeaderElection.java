// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work only while this replica holds a Lease, so two controller replicas never write the same
 * Secret at once. Closing releases the Lease, so a rolling update hands over at once instead of
 * after the lease duration.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  /** Timings; client-go's defaults are 15 s, 10 s and 2 s. */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  private final CompletableFuture<?> running;

  private LeaderElection(CompletableFuture<?> running) {
    this.running = running;
  }

  /**
   * Starts competing for the Lease.
   *
   * @param identity this replica's name (its pod name)
   * @param onStartLeading called on a fresh thread when this replica becomes the leader
   * @param onStopLeading called when it stops being the leader (lost or released)
   */
  public static LeaderElection start(
      KubernetesClient client,
      String namespace,
      String leaseName,
      String identity,
      Timing timing,
      Runnable onStartLeading,
      Runnable onStopLeading) {
    CompletableFuture<?> running =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(leaseName)
                    .withLock(new LeaseLock(namespace, leaseName, identity))
                    .withLeaseDuration(timing.leaseDuration())
                    .withRenewDeadline(timing.renewDeadline())
                    .withRetryPeriod(timing.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            onStartLeading,
                            onStopLeading,
                            leader ->
                                LOG.atInfo()
                                    .addKeyValue("leader", leader)
                                    .log("sync controller leader")))
                    .build())
            .build()
            .start();
    return new LeaderElection(running);
  }

  /** Completes when the election ends (closed, or leadership lost). */
  public CompletableFuture<?> finished() {
    return running;
  }

  @Override
  public void close() {
    running.cancel(true);
  }
}
