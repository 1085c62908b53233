// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.kube.SyncResources;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.metrics.SyncMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SecretSync controller loop: informers on SecretSync and SecretProviderClass feed a {@link
 * WorkQueue}; workers sync one SecretSync at a time each with the {@link SecretSyncReconciler};
 * failures come back after a per-key backoff; every SecretSync is queued again each poll interval,
 * which goes through the engine's cache, so polling costs the backend no more than mounts do.
 */
public final class SyncController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncController.class);

  private final KubernetesClient client;
  private final SyncSettings settings;
  private final WorkQueue queue;
  private final SyncMetrics metrics;
  private final ExecutorService workers;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(new NamedThreads("sync-poll"));
  private volatile @Nullable SecretSyncReconciler reconciler;
  private @Nullable SharedIndexInformer<GenericKubernetesResource> secretSyncs;
  private @Nullable SharedIndexInformer<GenericKubernetesResource> providerClasses;
  private volatile boolean closed;

  /**
   * @param metrics where reconciles are counted and the queue's depth is reported
   */
  public SyncController(KubernetesClient client, SyncSettings settings, SyncMetrics metrics) {
    this.client = client;
    this.settings = settings;
    this.metrics = metrics;
    this.queue = new WorkQueue(settings.retryBase(), settings.retryMax());
    metrics.queueDepth(queue::length);
    this.workers =
        Executors.newFixedThreadPool(settings.workers(), new NamedThreads("sync-worker"));
  }

  /**
   * Starts the informers (waiting for their first list), the workers and the poller.
   *
   * @param reconcilers builds the reconciler given the SecretProviderClass lookup of the informer
   */
  public synchronized void start(
      java.util.function.Function<
              java.util.function.BiFunction<String, String, GenericKubernetesResource>,
              SecretSyncReconciler>
          reconcilers) {
    SharedIndexInformer<GenericKubernetesResource> classes =
        client
            .genericKubernetesResources(SyncResources.SECRET_PROVIDER_CLASS)
            .inAnyNamespace()
            .inform(new ProviderClassEvents(), 0);
    providerClasses = classes;
    reconciler =
        reconcilers.apply((namespace, name) -> classes.getStore().getByKey(namespace + "/" + name));
    SharedIndexInformer<GenericKubernetesResource> syncs =
        client
            .genericKubernetesResources(SyncResources.SECRET_SYNC)
            .inAnyNamespace()
            .inform(new SecretSyncEvents(), 0);
    secretSyncs = syncs;
    for (int i = 0; i < settings.workers(); i++) {
      workers.execute(this::work);
    }
    long poll = settings.pollInterval().toMillis();
    if (poll > 0) {
      poller.scheduleWithFixedDelay(this::queueAll, poll, poll, TimeUnit.MILLISECONDS);
    }
    LOG.atInfo()
        .addKeyValue("secretSyncs", syncs.getStore().list().size())
        .addKeyValue("pollInterval", settings.pollInterval().toString())
        .log("sync controller started");
  }

  /** Queues every known SecretSync (the rotation poll). */
  void queueAll() {
    for (GenericKubernetesResource sync : started(secretSyncs).getStore().list()) {
      queue.add(key(sync));
    }
  }

  private void work() {
    try {
      while (!closed) {
        Optional<String> key = queue.take();
        if (key.isEmpty()) {
          return;
        }
        try {
          process(key.get());
        } catch (RuntimeException e) {
          LOG.atError()
              .addKeyValue("secretSync", key.get())
              .addKeyValue("exception", SafeThrowables.describe(e))
              .log("sync failed with a bug");
          metrics.reconciled(SyncMetrics.Result.ERROR);
          queue.addRateLimited(key.get());
        } finally {
          queue.done(key.get());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What {@link #start} set: the workers and the poller run only after it. */
  private static <T> T started(@Nullable T field) {
    return Objects.requireNonNull(field, "the sync controller is not started");
  }

  private void process(String key) {
    GenericKubernetesResource sync = started(secretSyncs).getStore().getByKey(key);
    if (sync == null) {
      queue.forget(key);
      return;
    }
    if (!mine(sync)) {
      metrics.reconciled(SyncMetrics.Result.SKIPPED);
      queue.forget(key);
      return;
    }
    SecretSyncReconciler.Outcome outcome = started(reconciler).reconcile(sync);
    metrics.reconciled(outcome.result());
    if (outcome.retry()) {
      queue.addRateLimited(key);
    } else {
      queue.forget(key);
    }
  }

  private boolean mine(GenericKubernetesResource sync) {
    if (settings.controllerName().isEmpty()) {
      return true;
    }
    Object name =
        SecretSyncSpec.map(sync.getAdditionalProperties().get("spec"))
            .get("secretSyncControllerName");
    return settings.controllerName().equals(name);
  }

  /** Stops the informers, wakes and joins the workers (a sync in flight finishes first). */
  @Override
  public void close() {
    closed = true;
    poller.shutdownNow();
    queue.close();
    synchronized (this) {
      if (secretSyncs != null) {
        secretSyncs.close();
      }
      if (providerClasses != null) {
        providerClasses.close();
      }
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static String key(GenericKubernetesResource resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  private static boolean specChanged(
      GenericKubernetesResource before, GenericKubernetesResource after) {
    return !Objects.equals(
        before.getMetadata().getGeneration(), after.getMetadata().getGeneration());
  }

  /**
   * SecretSync events: a new one or a spec change is synced; a status change is not (we wrote it).
   */
  private final class SecretSyncEvents implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource sync) {
      queue.add(key(sync));
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
      if (specChanged(before, after)) {
        queue.add(key(after));
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource sync, boolean finalStateUnknown) {
      // Its Secret goes with it through garbage collection (owner reference).
      queue.forget(key(sync));
      SecretSyncReconciler current = reconciler;
      if (current != null) {
        current.forget(sync);
      }
    }
  }

  /**
   * SecretProviderClass events: every SecretSync of the namespace that names it is synced again.
   */
  private final class ProviderClassEvents
      implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource spc) {
      queueUsersOf(spc);
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
      if (specChanged(before, after)) {
        queueUsersOf(after);
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource spc, boolean finalStateUnknown) {
      queueUsersOf(spc);
    }

    private void queueUsersOf(GenericKubernetesResource spc) {
      SharedIndexInformer<GenericKubernetesResource> syncs = secretSyncs;
      if (syncs == null) {
        return;
      }
      List<String> keys = new ArrayList<>();
      for (GenericKubernetesResource sync : syncs.getStore().list()) {
        Map<String, Object> spec = SecretSyncSpec.map(sync.getAdditionalProperties().get("spec"));
        if (Objects.equals(sync.getMetadata().getNamespace(), spc.getMetadata().getNamespace())
            && Objects.equals(spec.get("secretProviderClassName"), spc.getMetadata().getName())) {
          keys.add(key(sync));
        }
      }
      keys.forEach(queue::add);
    }
  }
}
