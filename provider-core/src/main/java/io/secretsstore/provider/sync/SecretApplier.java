// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secretsstore.provider.kube.SyncResources;
import java.net.HttpURLConnection;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a SecretSync's Secret by server-side apply with upstream's field manager, and only a
 * Secret that is already this SecretSync's or does not exist yet. Apply is not forced: when another
 * field manager owns a key, the API server refuses (409) and the Secret stays as it is. The API
 * server's messages are not used, since they can quote the object sent; only the name of an
 * admission policy that refused the write is kept.
 */
public final class SecretApplier {
  /** Upstream's field manager, so Secrets written by either controller are managed alike. */
  public static final String FIELD_MANAGER = "secrets-store-sync-controller";

  private static final Pattern POLICY =
      Pattern.compile("ValidatingAdmissionPolicy '([a-z0-9.-]{1,253})'");

  /** How a Secret that another owner holds is kept from being written. */
  public enum OwnerCheck {
    /**
     * Read the Secret by name before writing and refuse one without this SecretSync as owner (RBAC:
     * secrets get).
     */
    READ,
    /**
     * Read nothing: the chart's admission policies refuse a write to a Secret without exactly one
     * SecretSync owner and the reserved label, as upstream's do (RBAC: secrets create and patch
     * only).
     */
    ADMISSION
  }

  private final KubernetesClient client;
  private final OwnerCheck ownerCheck;

  public SecretApplier(KubernetesClient client, OwnerCheck ownerCheck) {
    this.client = client;
    this.ownerCheck = ownerCheck;
  }

  /**
   * The Secret as it is now, if it exists and this SecretSync owns it; always empty with {@link
   * OwnerCheck#ADMISSION}, which reads nothing.
   *
   * @throws SyncFailure CONTROLLER_PATCH_ERROR when it exists but is not this SecretSync's
   */
  public Optional<Secret> current(SecretSyncSpec sync) {
    if (ownerCheck == OwnerCheck.ADMISSION) {
      return Optional.empty();
    }
    Secret existing;
    try {
      existing = client.secrets().inNamespace(sync.namespace()).withName(sync.name()).get();
    } catch (KubernetesClientException e) {
      throw failure("read", sync, e);
    }
    if (existing == null) {
      return Optional.empty();
    }
    boolean owned =
        existing.getMetadata().getOwnerReferences() != null
            && existing.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> sync.uid().equals(o.getUid()));
    if (!owned) {
      throw SyncFailure.misconfigured(
          SyncReason.CONTROLLER_PATCH_ERROR,
          "Secret "
              + sync.key()
              + " exists and is not owned by this SecretSync; it is left untouched");
    }
    return Optional.of(existing);
  }

  /** Whether a missing Secret can be seen (only when the controller reads Secrets). */
  public boolean seesMissingSecrets() {
    return ownerCheck == OwnerCheck.READ;
  }

  /** Applies the Secret: type, data, the reserved and user labels, annotations, the owner. */
  public void apply(SecretSyncSpec sync, SecretData data) {
    Map<String, String> labels = new LinkedHashMap<>(sync.labels());
    labels.put(SecretSyncSpec.RESERVED_LABEL, "");
    Map<String, String> encoded = new LinkedHashMap<>();
    data.asMap().forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
    Secret desired =
        new SecretBuilder()
            .withNewMetadata()
            .withName(sync.name())
            .withNamespace(sync.namespace())
            .withLabels(labels)
            .withAnnotations(sync.annotations())
            .withOwnerReferences(owner(sync))
            .endMetadata()
            .withType(sync.secretType())
            .withData(encoded)
            .build();
    try {
      client
          .secrets()
          .inNamespace(sync.namespace())
          .resource(desired)
          .fieldManager(FIELD_MANAGER)
          .serverSideApply();
    } catch (KubernetesClientException e) {
      throw failure("write", sync, e);
    }
  }

  /**
   * The SecretSync as the Secret's controller, so garbage collection deletes the Secret with it.
   */
  static OwnerReference owner(SecretSyncSpec sync) {
    return new OwnerReferenceBuilder()
        .withApiVersion(SyncResources.apiVersion(SyncResources.SECRET_SYNC))
        .withKind(SyncResources.SECRET_SYNC.getKind())
        .withName(sync.name())
        .withUid(sync.uid())
        .withController(true)
        .build();
  }

  private static SyncFailure failure(
      String action, SecretSyncSpec sync, KubernetesClientException e) {
    int code = e.getCode();
    String secret = "Secret " + sync.key();
    if (code == HttpURLConnection.HTTP_CONFLICT) {
      return SyncFailure.misconfigured(
          SyncReason.CONTROLLER_PATCH_ERROR,
          "another field manager owns fields of " + secret + "; it is left unchanged");
    }
    if (code == HttpURLConnection.HTTP_FORBIDDEN) {
      Matcher policy = POLICY.matcher(String.valueOf(e.getMessage()));
      String why =
          policy.find()
              ? "ValidatingAdmissionPolicy " + policy.group(1) + " denied it"
              : "the controller's RBAC or an admission policy forbids it";
      return SyncFailure.misconfigured(
          SyncReason.CONTROLLER_PATCH_ERROR,
          "the API server refused to " + action + " " + secret + " (HTTP 403): " + why);
    }
    if (code == 422) {
      return SyncFailure.misconfigured(
          SyncReason.CONTROLLER_PATCH_ERROR,
          "the API server found "
              + secret
              + " invalid (HTTP 422): check spec.secretObject type, labels and annotations");
    }
    boolean retryable = code == 429 || code >= 500 || code <= 0;
    return new SyncFailure(
        SyncReason.CONTROLLER_PATCH_ERROR,
        "could not " + action + " " + secret + " (HTTP " + code + ")",
        retryable);
  }
}
