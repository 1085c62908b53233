// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.fetch.MountResult;
import io.secretsstore.provider.kube.SyncResources;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.metrics.SyncMetrics;
import io.secretsstore.provider.metrics.SyncObserver;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.ServiceAccountToken;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs one SecretSync: its SecretProviderClass, a token for its service account, a mount through
 * the shared {@link MountEngine} (cache, single-flight, endpoint protection), the Secret's data,
 * the keyed hash; then the Secret is applied only if the hash changed (or the last sync failed, or,
 * when the controller reads Secrets, the Secret is gone) and the status is written only when
 * something changed. Conditions follow upstream's controller step for step; a failure also emits a
 * Warning Event, a write a Normal one.
 */
public final class SecretSyncReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(SecretSyncReconciler.class);

  private final KubernetesClient client;
  private final MountEngine engine;
  private final TokenCache tokens;
  private final SyncSettings settings;
  private final SyncHash hash;
  private final SecretApplier applier;
  private final SyncEvents events;
  private final SyncObserver observer;
  private final MountAuditor auditor;
  private final Clock clock;

  /** The SecretProviderClass by namespace and name, from the informer's cache. */
  private final BiFunction<String, String, GenericKubernetesResource> providerClasses;

  /**
   * The status this replica last wrote, by SecretSync UID: the informer's copy can lag behind our
   * own status write, and reading it then would rewrite an unchanged Secret.
   */
  private final Map<String, SyncStatus> written = new ConcurrentHashMap<>();

  public SecretSyncReconciler(
      KubernetesClient client,
      MountEngine engine,
      TokenCache tokens,
      SyncSettings settings,
      SyncHash hash,
      SyncObserver observer,
      MountAuditor auditor,
      Clock clock,
      BiFunction<String, String, GenericKubernetesResource> providerClasses) {
    this.client = client;
    this.engine = engine;
    this.tokens = tokens;
    this.settings = settings;
    this.hash = hash;
    this.applier = new SecretApplier(client, settings.ownerCheck());
    this.events = new SyncEvents(client, settings.pod().name(), clock);
    this.observer = observer;
    this.auditor = auditor;
    this.clock = clock;
    this.providerClasses = providerClasses;
  }

  /**
   * How a sync ended.
   *
   * @param result the reconcile's result, for the metrics
   * @param reason the condition reason, or null when the SecretSync belongs to another provider's
   *     controller and was left alone
   * @param retry whether to retry after the backoff
   */
  public record Outcome(SyncMetrics.Result result, @Nullable SyncReason reason, boolean retry) {
    static final Outcome NOT_MINE = new Outcome(SyncMetrics.Result.SKIPPED, null, false);
  }

  /** Syncs a SecretSync as read from the informer, in upstream's order and with its conditions. */
  public Outcome reconcile(GenericKubernetesResource secretSync) {
    long start = System.nanoTime();
    String backend = engine.backend().name();
    String uid = secretSync.getMetadata().getUid();
    SyncStatus status =
        uid == null
            ? SyncStatus.of(null)
            : written.getOrDefault(
                uid, SyncStatus.of(secretSync.getAdditionalProperties().get("status")));
    long generation =
        secretSync.getMetadata().getGeneration() == null
            ? 0
            : secretSync.getMetadata().getGeneration();
    SyncStatus.Clocked now = new SyncStatus.Clocked(clock.instant(), generation);
    String namespace = secretSync.getMetadata().getNamespace();
    Object spcName =
        SecretSyncSpec.map(secretSync.getAdditionalProperties().get("spec"))
            .get("secretProviderClassName");
    GenericKubernetesResource spc = null;
    SyncFailure lookupFailure = null;
    try {
      spc = spcName == null ? null : providerClass(namespace, String.valueOf(spcName));
    } catch (SyncFailure failure) {
      lookupFailure = failure;
    }
    if (spc != null
        && !settings
            .providerName()
            .equals(
                SecretSyncSpec.map(spc.getAdditionalProperties().get("spec")).get("provider"))) {
      // Another backend's controller syncs it (one chart per backend, one CRD): not a word in its
      // status.
      return Outcome.NOT_MINE;
    }
    if (status.needsInitialConditions()) {
      status = initialize(secretSync, status, now);
    }
    Outcome outcome;
    try {
      if (lookupFailure != null) {
        throw lookupFailure;
      }
      SecretSyncSpec spec = SecretSyncSpec.parse(secretSync);
      settings.secretTypes().check(spec.secretType());
      if (spc == null) {
        throw SyncFailure.misconfigured(
            SyncReason.SECRET_PROVIDER_CLASS_MISCONFIGURED,
            "SecretProviderClass "
                + spec.secretProviderClassName()
                + " not found in namespace "
                + spec.namespace());
      }
      outcome = sync(spec, spc, status, now, start);
    } catch (SyncFailure failure) {
      outcome = failed(secretSync, status, now, failure);
    }
    // Both sync and failed give a reason; only NOT_MINE, returned before, has none.
    observer.syncFinished(
        backend,
        Objects.requireNonNull(outcome.reason()).text(),
        Duration.ofNanos(System.nanoTime() - start));
    return outcome;
  }

  /** Writes upstream's two Unknown conditions, as it does before its first attempt. */
  private SyncStatus initialize(
      GenericKubernetesResource secretSync, SyncStatus status, SyncStatus.Clocked now) {
    SyncStatus initialized = status.initialized(now);
    writeStatus(secretSync, status, initialized);
    remember(secretSync.getMetadata().getUid(), initialized);
    return initialized;
  }

  /**
   * Records a failure: the condition, the log line, and a Warning Event when the failure is new.
   */
  private Outcome failed(
      GenericKubernetesResource secretSync,
      SyncStatus status,
      SyncStatus.Clocked now,
      SyncFailure failure) {
    SyncStatus failed = status.failed(failure.reason(), failure.getMessage(), now);
    String type = status.conditionType();
    boolean news = !sameOutcome(status.condition(type), failed.condition(type));
    writeStatus(secretSync, status, failed);
    remember(secretSync.getMetadata().getUid(), failed);
    LOG.atWarn()
        .addKeyValue("secretSync", key(secretSync))
        .addKeyValue("reason", failure.reason().text())
        .addKeyValue("message", failure.getMessage())
        .log("sync failed");
    if (news) {
      // One Warning per new failure, not one per retry of the same one.
      events.warning(
          secretSync.getMetadata().getNamespace(),
          secretSync.getMetadata().getName(),
          secretSync.getMetadata().getUid(),
          failure.reason(),
          failure.getMessage());
    }
    return new Outcome(SyncMetrics.Result.ERROR, failure.reason(), failure.retryable());
  }

  private Outcome sync(
      SecretSyncSpec spec,
      GenericKubernetesResource spc,
      SyncStatus status,
      SyncStatus.Clocked now,
      long start) {
    MountResult result = mount(spec, parameters(spc));
    SecretData data = SecretData.from(result.files(), spec);
    long spcGeneration =
        spc.getMetadata().getGeneration() == null ? 0 : spc.getMetadata().getGeneration();
    String newHash =
        hash.of(new SyncHash.Inputs(spec, spc.getMetadata().getUid(), spcGeneration), data);
    Optional<Secret> existing = applier.current(spec);
    boolean missing = applier.seesMissingSecrets() && existing.isEmpty();
    if (!missing && newHash.equals(status.syncHash()) && !status.hasFailure()) {
      return new Outcome(SyncMetrics.Result.UNCHANGED, SyncReason.SECRET_UP_TO_DATE, false);
    }
    boolean created = SyncStatus.CREATED.equals(status.conditionType());
    applier.apply(spec, data);
    observer.secretWritten(engine.backend().name());
    auditor.synced(
        engine.backend().name(),
        spec.namespace(),
        spec.serviceAccountName(),
        spec.secretProviderClassName(),
        spec.name(),
        result,
        Duration.ofNanos(System.nanoTime() - start));
    SyncStatus succeeded = status.succeeded(newHash, now);
    writeStatusOf(spec, succeeded);
    remember(spec.uid(), succeeded);
    events.normal(
        spec,
        created ? SyncEvents.CREATED : SyncEvents.UPDATED,
        created ? SyncStatus.CREATED_MESSAGE : SyncStatus.UP_TO_DATE_MESSAGE);
    LOG.atInfo()
        .addKeyValue("secretSync", spec.key())
        .addKeyValue("keys", data.asMap().keySet())
        .addKeyValue("created", created)
        .log("Secret synced");
    return created
        ? new Outcome(SyncMetrics.Result.CREATED, SyncReason.CREATE_SUCCESSFUL, false)
        : new Outcome(SyncMetrics.Result.UPDATED, SyncReason.SECRET_UP_TO_DATE, false);
  }

  private MountResult mount(SecretSyncSpec spec, Map<String, String> parameters) {
    List<ServiceAccountToken> minted;
    try {
      minted = tokens.tokens(spec.namespace(), spec.serviceAccountName(), settings.audiences());
    } catch (ProviderException e) {
      throw new SyncFailure(SyncReason.CONTROLLER_SYNC_ERROR, e.getMessage(), true);
    }
    try {
      MountRequestContext request =
          SyncAttributes.request(parameters, settings.pod(), spec, minted);
      return engine.mount(request, null);
    } catch (ProviderException e) {
      if (e.kind() == ErrorKind.PERMISSION_DENIED || e.kind() == ErrorKind.UNAUTHENTICATED) {
        // A token the backend refused is not used again: the next try mints a fresh one.
        tokens.forget(spec.namespace(), spec.serviceAccountName());
      }
      // Upstream reports every failed provider call as ProviderError; bad parameters wait for a
      // change.
      throw new SyncFailure(
          SyncReason.PROVIDER_ERROR, e.getMessage(), e.kind() != ErrorKind.INVALID_ARGUMENT);
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue("secretSync", spec.key())
          .addKeyValue("exception", SafeThrowables.describe(e))
          .log("sync failed with a bug");
      throw new SyncFailure(
          SyncReason.PROVIDER_ERROR, "the provider failed unexpectedly; see its log", true);
    }
  }

  /**
   * Drops what is remembered of a deleted SecretSync: its last status and its service account's
   * tokens.
   */
  public void forget(GenericKubernetesResource secretSync) {
    String uid = secretSync.getMetadata().getUid();
    if (uid != null) {
      written.remove(uid);
    }
    Object serviceAccount =
        SecretSyncSpec.map(secretSync.getAdditionalProperties().get("spec"))
            .get("serviceAccountName");
    if (serviceAccount != null) {
      tokens.forget(secretSync.getMetadata().getNamespace(), String.valueOf(serviceAccount));
    }
  }

  private void remember(String uid, SyncStatus status) {
    if (uid != null) {
      written.put(uid, status);
    }
  }

  private static boolean sameOutcome(Map<String, Object> before, Map<String, Object> after) {
    return Objects.equals(before.get("status"), after.get("status"))
        && Objects.equals(before.get("reason"), after.get("reason"))
        && Objects.equals(before.get("message"), after.get("message"));
  }

  /** SecretProviderClass spec.parameters as strings, as the driver passes them. */
  private static Map<String, String> parameters(GenericKubernetesResource spc) {
    Map<String, Object> spec = SecretSyncSpec.map(spc.getAdditionalProperties().get("spec"));
    Map<String, String> parameters = new LinkedHashMap<>();
    SecretSyncSpec.map(spec.get("parameters"))
        .forEach((k, v) -> parameters.put(k, v == null ? "" : String.valueOf(v)));
    return parameters;
  }

  /**
   * The SecretProviderClass from the informer, else read by name: the informer may not have seen a
   * new one yet.
   */
  private GenericKubernetesResource providerClass(String namespace, String name) {
    GenericKubernetesResource cached = providerClasses.apply(namespace, name);
    if (cached != null) {
      return cached;
    }
    try {
      return client
          .genericKubernetesResources(SyncResources.SECRET_PROVIDER_CLASS)
          .inNamespace(namespace)
          .withName(name)
          .get();
    } catch (KubernetesClientException e) {
      throw new SyncFailure(
          SyncReason.SECRET_PROVIDER_CLASS_MISCONFIGURED,
          "could not read SecretProviderClass " + name + " (HTTP " + e.getCode() + ")",
          true);
    }
  }

  private void writeStatus(
      GenericKubernetesResource secretSync, SyncStatus before, SyncStatus after) {
    if (before.asMap().equals(after.asMap())) {
      return;
    }
    patchStatus(secretSync.getMetadata().getNamespace(), secretSync.getMetadata().getName(), after);
  }

  private void writeStatusOf(SecretSyncSpec spec, SyncStatus after) {
    patchStatus(spec.namespace(), spec.name(), after);
  }

  private void patchStatus(String namespace, String name, SyncStatus status) {
    try {
      // A replace of the status subresource against the latest resourceVersion: a concurrent
      // change makes it fail (409) instead of overwriting, and the next sync writes it again.
      var resource =
          client
              .genericKubernetesResources(SyncResources.SECRET_SYNC)
              .inNamespace(namespace)
              .withName(name);
      GenericKubernetesResource current = resource.get();
      if (current == null) {
        return;
      }
      current.setAdditionalProperty("status", status.asMap());
      client
          .genericKubernetesResources(SyncResources.SECRET_SYNC)
          .inNamespace(namespace)
          .resource(current)
          .updateStatus();
    } catch (KubernetesClientException e) {
      // The Secret is already right; the next sync writes the status again.
      LOG.atWarn()
          .addKeyValue("secretSync", namespace + "/" + name)
          .addKeyValue("httpCode", e.getCode())
          .log("could not write the SecretSync status");
    }
  }

  private static String key(GenericKubernetesResource resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }
}
