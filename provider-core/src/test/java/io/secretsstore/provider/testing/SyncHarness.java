// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.secretsstore.provider.audit.AuditEvent;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.audit.PayloadFingerprints;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.kube.TokenRequests;
import io.secretsstore.provider.metrics.SyncMetrics;
import io.secretsstore.provider.metrics.SyncObserver;
import io.secretsstore.provider.spi.SecretBackend;
import io.secretsstore.provider.sync.LeaderElection;
import io.secretsstore.provider.sync.SecretApplier;
import io.secretsstore.provider.sync.SecretSyncReconciler;
import io.secretsstore.provider.sync.SecretTypePolicy;
import io.secretsstore.provider.sync.SyncAttributes;
import io.secretsstore.provider.sync.SyncController;
import io.secretsstore.provider.sync.SyncHash;
import io.secretsstore.provider.sync.SyncSettings;
import io.secretsstore.provider.sync.TokenCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SecretSync controller wired as {@code sync} wires it, against a {@link SyncApiServer} and a
 * started backend, with the engine's fast test settings: it records outcomes, writes and audit
 * events, per replica, so tests can tell which replica wrote.
 */
public final class SyncHarness implements AutoCloseable {
  /** The poll interval of the controllers (the engine's too). */
  public static final Duration POLL = ProviderFixture.FAST.cache().pollInterval();

  private final SyncApiServer api;
  private final SecretBackend backend;
  private final List<String> audiences;
  private final MountEngine engine;
  private final byte[] key = PayloadFingerprints.newKey();
  private final List<AutoCloseable> running = new ArrayList<>();

  /** Outcomes (condition reasons) by replica. */
  public final Map<String, List<String>> outcomes = new ConcurrentHashMap<>();

  /** Secrets written by replica. */
  public final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();

  public final List<AuditEvent> audit = new CopyOnWriteArrayList<>();

  /** Each replica's sync metrics. */
  public final Map<String, PrometheusRegistry> registries = new ConcurrentHashMap<>();

  /** The Secret types of replicas started from now on. */
  public volatile SecretTypePolicy secretTypes = SecretTypePolicy.defaults();

  /** How replicas started from now on keep off Secrets they do not own. */
  public volatile SecretApplier.OwnerCheck ownerCheck = SecretApplier.OwnerCheck.READ;

  public SyncHarness(SyncApiServer api, SecretBackend backend, List<String> audiences) {
    this.api = api;
    this.backend = backend;
    this.audiences = audiences;
    this.engine = new MountEngine(backend, ProviderFixture.FAST, FetchEvents.NONE);
  }

  /** Starts a controller replica without leader election. */
  public SyncController start(String replica) {
    return start(replica, api.client());
  }

  private SyncController start(String replica, KubernetesClient client) {
    SyncSettings settings =
        new SyncSettings(
            new SyncAttributes.ControllerPod(replica, "0b7c3e52-" + replica),
            audiences,
            TokenCache.DEFAULT_TTL,
            POLL,
            2,
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            "",
            backend.name(),
            secretTypes,
            ownerCheck);
    TokenCache tokens =
        new TokenCache(
            new TokenRequests(client)::mintUnbound, settings.tokenTtl(), Clock.systemUTC());
    PrometheusRegistry registry = new PrometheusRegistry();
    registries.put(replica, registry);
    SyncController controller =
        new SyncController(client, settings, new SyncMetrics(registry, backend.name()));
    MountAuditor auditor =
        new MountAuditor(audit::add, new PayloadFingerprints(key), null, "", Clock.systemUTC());
    controller.start(
        lookup ->
            new SecretSyncReconciler(
                client,
                engine,
                tokens,
                settings,
                new SyncHash(key),
                observer(replica),
                auditor,
                Clock.systemUTC(),
                lookup));
    synchronized (running) {
      running.add(controller);
    }
    return controller;
  }

  /** Starts a replica that syncs only while it holds the Lease; close the result to step down. */
  public LeaderElection startElected(String replica) {
    KubernetesClient client = api.newClient();
    SyncController[] controller = new SyncController[1];
    LeaderElection election =
        LeaderElection.start(
            client,
            "sync-system",
            "secrets-store-sync-controller",
            replica,
            new LeaderElection.Timing(
                Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200)),
            () -> controller[0] = start(replica, client),
            () -> {
              if (controller[0] != null) {
                controller[0].close();
              }
            });
    synchronized (running) {
      running.add(election);
      running.add(client);
    }
    return election;
  }

  /** How many Secrets a replica wrote. */
  public int writesBy(String replica) {
    return writes.getOrDefault(replica, new AtomicInteger()).get();
  }

  private SyncObserver observer(String replica) {
    return new SyncObserver() {
      @Override
      public void syncFinished(String backendName, String outcome, Duration duration) {
        outcomes.computeIfAbsent(replica, r -> new CopyOnWriteArrayList<>()).add(outcome);
      }

      @Override
      public void secretWritten(String backendName) {
        writes.computeIfAbsent(replica, r -> new AtomicInteger()).incrementAndGet();
      }
    };
  }

  @Override
  public void close() {
    List<AutoCloseable> all;
    synchronized (running) {
      all = new ArrayList<>(running);
    }
    java.util.Collections.reverse(all);
    for (AutoCloseable closeable : all) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException(
            "closing " + closeable.getClass().getSimpleName() + " failed", e);
      }
    }
    engine.close();
  }
}
