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
import io.secretsstore.provider.metrics.SyncObserver;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs one SecretSync: its SecretProviderClass, a token for its service account, a mount through
 * the shared {@link MountEngine} (cache, single-flight, endpoint protection), the Secret's data,
 * the keyed hash; then the Secret is applied only if the hash changed (or the last sync failed,
 * or the Secret is gone) and the status is written only when something changed.
 */
public final class SecretSyncReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(SecretSyncReconciler.class);

  private final KubernetesClient client;
  private final MountEngine engine;
  private final TokenCache tokens;
  private final SyncSettings settings;
  private final SyncHash hash;
  private final SecretApplier applier;
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

  public SecretSyncReconciler(KubernetesClient client, MountEngine engine, TokenCache tokens, SyncSettings settings,
      SyncHash hash, SyncObserver observer, MountAuditor auditor, Clock clock,
      BiFunction<String, String, GenericKubernetesResource> providerClasses) {
    this.client = client;
    this.engine = engine;
    this.tokens = tokens;
    this.settings = settings;
    this.hash = hash;
    this.applier = new SecretApplier(client);
    this.observer = observer;
    this.auditor = auditor;
    this.clock = clock;
    this.providerClasses = providerClasses;
  }

  /**
   * How a sync ended.
   *
   * @param reason the condition reason, or null when the SecretSync belongs to another provider's
   *     controller and was left alone
   */
  public record Outcome(SyncReason reason, boolean retry) {
    static final Outcome NOT_MINE = new Outcome(null, false);
  }

  /** Syncs a SecretSync as read from the informer. */
  public Outcome reconcile(GenericKubernetesResource secretSync) {
    long start = System.nanoTime();
    String backend = engine.backend().name();
    String uid = secretSync.getMetadata().getUid();
    SyncStatus status = uid == null ? SyncStatus.of(null)
        : written.getOrDefault(uid, SyncStatus.of(secretSync.getAdditionalProperties().get("status")));
    long generation = secretSync.getMetadata().getGeneration() == null ? 0 : secretSync.getMetadata().getGeneration();
    SyncStatus.Clocked now = new SyncStatus.Clocked(clock.instant(), generation);
    Outcome outcome;
    try {
      SecretSyncSpec spec = SecretSyncSpec.parse(secretSync);
      outcome = sync(spec, status, now, start);
      if (outcome.reason() == null) {
        return outcome;
      }
    } catch (SyncFailure failure) {
      SyncStatus failed = status.failed(failure.reason(), failure.getMessage(), now);
      writeStatus(secretSync, status, failed);
      remember(uid, failed);
      LOG.atWarn().addKeyValue("secretSync", key(secretSync)).addKeyValue("reason", failure.reason().text())
          .addKeyValue("message", failure.getMessage()).log("sync failed");
      outcome = new Outcome(failure.reason(), failure.retryable());
    }
    observer.syncFinished(backend, outcome.reason().text(), Duration.ofNanos(System.nanoTime() - start));
    return outcome;
  }

  private Outcome sync(SecretSyncSpec spec, SyncStatus status, SyncStatus.Clocked now, long start) {
    GenericKubernetesResource spc = providerClasses.apply(spec.namespace(), spec.secretProviderClassName());
    if (spc == null) {
      // The informer may not have seen a class created a moment ago.
      spc = readProviderClass(spec);
    }
    if (spc == null) {
      throw SyncFailure.misconfigured(SyncReason.SECRET_PROVIDER_CLASS_MISCONFIGURED,
          "SecretProviderClass " + spec.secretProviderClassName() + " not found in namespace " + spec.namespace());
    }
    Object provider = SecretSyncSpec.map(spc.getAdditionalProperties().get("spec")).get("provider");
    if (!settings.providerName().equals(provider)) {
      // Another backend's controller syncs it (one chart per backend, one CRD).
      return Outcome.NOT_MINE;
    }
    MountResult result = mount(spec, parameters(spc));
    SecretData data = SecretData.from(result.files(), spec);
    long spcGeneration = spc.getMetadata().getGeneration() == null ? 0 : spc.getMetadata().getGeneration();
    String newHash = hash.of(new SyncHash.Inputs(spec, spc.getMetadata().getUid(), spcGeneration), data);
    Optional<Secret> existing = applier.current(spec);
    if (existing.isPresent() && newHash.equals(status.syncHash()) && !status.hasFailure()) {
      return new Outcome(SyncReason.SECRET_UP_TO_DATE, false);
    }
    applier.apply(spec, data);
    observer.secretWritten(engine.backend().name());
    auditor.synced(engine.backend().name(), spec.namespace(), spec.serviceAccountName(), spec.secretProviderClassName(),
        spec.name(), result, Duration.ofNanos(System.nanoTime() - start));
    boolean created = existing.isEmpty() && !status.created();
    SyncStatus succeeded = status.succeeded(created, newHash, now);
    writeStatusOf(spec, succeeded);
    remember(spec.uid(), succeeded);
    LOG.atInfo().addKeyValue("secretSync", spec.key()).addKeyValue("keys", data.asMap().keySet())
        .addKeyValue("created", created).log("Secret synced");
    return new Outcome(created ? SyncReason.CREATE_SUCCESSFUL : SyncReason.UPDATE_SUCCESSFUL, false);
  }

  private MountResult mount(SecretSyncSpec spec, Map<String, String> parameters) {
    List<ServiceAccountToken> minted;
    try {
      minted = tokens.tokens(spec.namespace(), spec.serviceAccountName(), settings.audiences());
    } catch (ProviderException e) {
      throw new SyncFailure(SyncReason.CONTROLLER_SYNC_ERROR, e.getMessage(), true);
    }
    try {
      MountRequestContext request = SyncAttributes.request(parameters, settings.pod(), spec, minted);
      return engine.mount(request, null);
    } catch (ProviderException e) {
      if (e.kind() == ErrorKind.PERMISSION_DENIED || e.kind() == ErrorKind.UNAUTHENTICATED) {
        // A token the backend refused is not used again: the next try mints a fresh one.
        tokens.forget(spec.namespace(), spec.serviceAccountName());
      }
      if (e.kind() == ErrorKind.INVALID_ARGUMENT) {
        throw SyncFailure.misconfigured(SyncReason.SECRET_PROVIDER_CLASS_MISCONFIGURED, e.getMessage());
      }
      SyncReason reason = e.kind() == ErrorKind.INTERNAL ? SyncReason.PROVIDER_ERROR : SyncReason.REMOTE_SECRET_STORE_FETCH_FAILED;
      throw new SyncFailure(reason, e.getMessage(), true);
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("secretSync", spec.key()).addKeyValue("exception", SafeThrowables.describe(e))
          .log("sync failed with a bug");
      throw new SyncFailure(SyncReason.PROVIDER_ERROR, "the provider failed unexpectedly; see its log", true);
    }
  }

  /** Drops what is remembered of a deleted SecretSync. */
  public void forget(String uid) {
    if (uid != null) {
      written.remove(uid);
    }
  }

  private void remember(String uid, SyncStatus status) {
    if (uid != null) {
      written.put(uid, status);
    }
  }

  /** SecretProviderClass spec.parameters as strings, as the driver passes them. */
  private static Map<String, String> parameters(GenericKubernetesResource spc) {
    Map<String, Object> spec = SecretSyncSpec.map(spc.getAdditionalProperties().get("spec"));
    Map<String, String> parameters = new LinkedHashMap<>();
    SecretSyncSpec.map(spec.get("parameters")).forEach((k, v) -> parameters.put(k, v == null ? "" : String.valueOf(v)));
    return parameters;
  }

  private GenericKubernetesResource readProviderClass(SecretSyncSpec spec) {
    try {
      return client.genericKubernetesResources(SyncResources.SECRET_PROVIDER_CLASS).inNamespace(spec.namespace())
          .withName(spec.secretProviderClassName()).get();
    } catch (KubernetesClientException e) {
      throw new SyncFailure(SyncReason.CONTROLLER_SYNC_ERROR,
          "could not read SecretProviderClass " + spec.secretProviderClassName() + " (HTTP " + e.getCode() + ")", true);
    }
  }

  private void writeStatus(GenericKubernetesResource secretSync, SyncStatus before, SyncStatus after) {
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
      var resource = client.genericKubernetesResources(SyncResources.SECRET_SYNC).inNamespace(namespace).withName(name);
      GenericKubernetesResource current = resource.get();
      if (current == null) {
        return;
      }
      current.setAdditionalProperty("status", status.asMap());
      client.genericKubernetesResources(SyncResources.SECRET_SYNC).inNamespace(namespace).resource(current).updateStatus();
    } catch (KubernetesClientException e) {
      // The Secret is already right; the next sync writes the status again.
      LOG.atWarn().addKeyValue("secretSync", namespace + "/" + name).addKeyValue("httpCode", e.getCode())
          .log("could not write the SecretSync status");
    }
  }

  private static String key(GenericKubernetesResource resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }
}
