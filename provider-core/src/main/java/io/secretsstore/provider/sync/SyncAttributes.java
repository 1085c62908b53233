// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.mount.ServiceAccountTokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * The mount attributes the upstream sync controller sends its provider for a SecretSync: the
 * SecretProviderClass parameters, the controller pod's own name and UID, the SecretSync's
 * namespace, {@code spec.serviceAccountName} and its tokens by audience. They are parsed by the
 * same {@link MountRequestContext} a driver's request is, so a backend cannot tell the two apart.
 */
public final class SyncAttributes {
  /** The file mode the driver sends by default (0644), which a Secret ignores anyway. */
  private static final String PERMISSION = "420";

  private SyncAttributes() {}

  /** The controller pod, whose name and UID stand in for the pod a mount would be for. */
  public record ControllerPod(String name, String uid) {}

  /**
   * The mount request for a SecretSync.
   *
   * @param parameters the SecretProviderClass {@code spec.parameters}
   * @param tokens the service account's tokens, one per audience
   */
  public static MountRequestContext request(
      Map<String, String> parameters,
      ControllerPod pod,
      SecretSyncSpec sync,
      List<ServiceAccountToken> tokens) {
    return MountRequestContext.parse(
        json(attributes(parameters, pod, sync, tokens)),
        "{}",
        targetPath(sync),
        PERMISSION,
        List.of());
  }

  /**
   * A target path naming the SecretSync: nothing is written there, but some backends (Vault, as
   * upstream) refuse a mount without one.
   */
  static String targetPath(SecretSyncSpec sync) {
    return "/var/run/secrets-store-sync/" + sync.namespace() + "/" + sync.name();
  }

  /** The attributes map (holds tokens: never log it). */
  static Map<String, String> attributes(
      Map<String, String> parameters,
      ControllerPod pod,
      SecretSyncSpec sync,
      List<ServiceAccountToken> tokens) {
    Map<String, String> attributes = new LinkedHashMap<>(parameters);
    attributes.put(PodIdentity.NAME, pod.name());
    attributes.put(PodIdentity.UID, pod.uid());
    attributes.put(PodIdentity.NAMESPACE, sync.namespace());
    attributes.put(PodIdentity.SERVICE_ACCOUNT, sync.serviceAccountName());
    Map<String, Map<String, String>> byAudience = new LinkedHashMap<>();
    for (ServiceAccountToken token : tokens) {
      byAudience.put(
          token.audience(),
          Map.of("token", token.value(), "expirationTimestamp", token.expiresAt().toString()));
    }
    attributes.put(ServiceAccountTokens.KEY, json(byAudience));
    return attributes;
  }

  private static String json(Object value) {
    try {
      return JsonMappers.WRITER.writeValueAsString(value);
    } catch (JacksonException e) {
      // Maps of strings always serialise; the message could quote a token, so it is not kept.
      throw new IllegalStateException("attributes could not be serialised");
    }
  }
}
