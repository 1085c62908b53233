// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A SecretSync (secret-sync.x-k8s.io/v1alpha1) as validated values. Parsing rejects what upstream
 * rejects (the reserved label or annotation prefix, an empty sourcePath or targetKey) with the
 * condition reason upstream uses, naming the field, never a value.
 *
 * @param namespace the SecretSync's namespace, also the Secret's
 * @param name the SecretSync's name, also the Secret's
 * @param uid the SecretSync's UID, the Secret's owner
 * @param generation the SecretSync's generation
 * @param secretProviderClassName the SecretProviderClass in the same namespace
 * @param serviceAccountName the service account whose token fetches the objects
 * @param secretType the Secret's type
 * @param data sourcePath to targetKey, in spec order
 * @param labels the user's labels, without the reserved one
 * @param annotations the user's annotations
 * @param forceSynchronization any value; a change forces a sync
 * @param controllerName spec.secretSyncControllerName, empty when unset
 */
public record SecretSyncSpec(
    String namespace,
    String name,
    String uid,
    long generation,
    String secretProviderClassName,
    String serviceAccountName,
    String secretType,
    List<Mapping> data,
    Map<String, String> labels,
    Map<String, String> annotations,
    String forceSynchronization,
    String controllerName) {

  /** The label every synced Secret carries (empty value); users may not set it. */
  public static final String RESERVED_LABEL = "secrets-store.sync.x-k8s.io";

  /** Upstream reserves the same key for annotations. */
  public static final String RESERVED_ANNOTATION = RESERVED_LABEL;

  public static final String TLS_TYPE = "kubernetes.io/tls";

  /** One {@code spec.secretObject.data[]} entry. */
  public record Mapping(String sourcePath, String targetKey) {}

  public SecretSyncSpec {
    data = List.copyOf(data);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(forceSynchronization, "forceSynchronization");
  }

  /** {@code namespace/name}, the work-queue key and the name used in logs. */
  public String key() {
    return namespace + "/" + name;
  }

  /**
   * Reads a SecretSync.
   *
   * @throws SyncFailure naming the field at fault
   */
  public static SecretSyncSpec parse(GenericKubernetesResource resource) {
    ObjectMeta meta = resource.getMetadata();
    Map<String, Object> spec = map(resource.getAdditionalProperties().get("spec"));
    Map<String, Object> secretObject = map(spec.get("secretObject"));
    String type = text(secretObject.get("type"));
    if (type.isEmpty()) {
      type = "Opaque";
    }
    Map<String, String> labels = strings(secretObject.get("labels"));
    if (labels.keySet().stream().anyMatch(k -> k.startsWith(RESERVED_LABEL))) {
      throw SyncFailure.misconfigured(
          SyncReason.INVALID_CLUSTER_SECRET_LABEL,
          "spec.secretObject.labels must not use the reserved prefix " + RESERVED_LABEL);
    }
    Map<String, String> annotations = strings(secretObject.get("annotations"));
    if (annotations.keySet().stream().anyMatch(k -> k.startsWith(RESERVED_ANNOTATION))) {
      throw SyncFailure.misconfigured(
          SyncReason.INVALID_CLUSTER_SECRET_ANNOTATION,
          "spec.secretObject.annotations must not use the reserved prefix " + RESERVED_ANNOTATION);
    }
    List<Mapping> data = new ArrayList<>();
    Object entries = secretObject.get("data");
    List<?> list = entries instanceof List<?> l ? l : List.of();
    for (int i = 0; i < list.size(); i++) {
      Map<String, Object> entry = map(list.get(i));
      String sourcePath = text(entry.get("sourcePath"));
      String targetKey = text(entry.get("targetKey"));
      if (sourcePath.isEmpty() || targetKey.isEmpty()) {
        throw SyncFailure.misconfigured(
            SyncReason.CONTROLLER_SYNC_ERROR,
            "spec.secretObject.data[" + i + "] needs both sourcePath and targetKey");
      }
      data.add(new Mapping(sourcePath, targetKey));
    }
    if (data.isEmpty()) {
      throw SyncFailure.misconfigured(
          SyncReason.CONTROLLER_SYNC_ERROR, "spec.secretObject.data is empty");
    }
    String spcName = required(spec, "secretProviderClassName");
    String serviceAccount = required(spec, "serviceAccountName");
    return new SecretSyncSpec(
        meta.getNamespace(),
        meta.getName(),
        meta.getUid(),
        meta.getGeneration() == null ? 0 : meta.getGeneration(),
        spcName,
        serviceAccount,
        type,
        data,
        labels,
        annotations,
        text(spec.get("forceSynchronization")),
        text(spec.get("secretSyncControllerName")));
  }

  private static String required(Map<String, Object> spec, String key) {
    String value = text(spec.get(key));
    if (value.isEmpty()) {
      throw SyncFailure.misconfigured(
          SyncReason.CONTROLLER_SYNC_ERROR, "spec." + key + " is missing");
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(@Nullable Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static Map<String, String> strings(@Nullable Object value) {
    Map<String, String> out = new LinkedHashMap<>();
    map(value).forEach((k, v) -> out.put(k, text(v)));
    return out;
  }

  private static String text(@Nullable Object value) {
    return value == null ? "" : String.valueOf(value);
  }
}
