// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.json.GoJson;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ServiceAccountTokens;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds the MountRequest fields exactly as the driver does (driver-contract §3). A first mount
 * (and every v1.6 call) is {@code NodePublishVolume}: the SecretProviderClass's parameters,
 * overlaid by kubelet's volume context, then the tokens. Driver v1.5's rotation reconciler built
 * its own, smaller request instead.
 */
public final class DriverRequestBuilder {
  /** The volume attribute naming the SecretProviderClass. */
  public static final String SECRET_PROVIDER_CLASS = "secretProviderClass";

  /** Kubelet's marker for inline volumes. */
  public static final String EPHEMERAL = "csi.storage.k8s.io/ephemeral";

  /** {@code json.Marshal(os.FileMode(0644))}: the decimal string the driver sends. */
  public static final String PERMISSION = Integer.toString(FileMode.DEFAULT.bits());

  private final SecretProviderClassFile spc;
  private final PodSettings pod;
  private final String targetPath;
  private @Nullable ServiceAccountTokenFiles tokens;
  private boolean tokensInSecrets;
  private @Nullable NodePublishSecretFile nodePublishSecret;

  /** A builder for a mount of {@code spc} into {@code target} for {@code pod}. */
  public DriverRequestBuilder(SecretProviderClassFile spc, PodSettings pod, Path target) {
    this.spc = Objects.requireNonNull(spc, "spc");
    this.pod = Objects.requireNonNull(pod, "pod");
    this.targetPath = target.toAbsolutePath().normalize().toString();
  }

  /**
   * The pod's tokens, as kubelet passes them when the CSIDriver has {@code tokenRequests}.
   *
   * @param inSecrets kubelet's {@code serviceAccountTokenInSecrets} mode: the tokens travel in the
   *     request's secrets, and the driver copies them into the attributes
   */
  public DriverRequestBuilder tokens(ServiceAccountTokenFiles tokens, boolean inSecrets) {
    this.tokens = tokens;
    this.tokensInSecrets = inSecrets;
    return this;
  }

  /** The volume's nodePublishSecretRef Secret; without one kubelet passes no secrets. */
  public DriverRequestBuilder nodePublishSecret(NodePublishSecretFile secret) {
    this.nodePublishSecret = secret;
    return this;
  }

  /** {@code NodePublishVolume}'s request: every first mount, and every v1.6 remount. */
  public DriverRequest publish() {
    checkVolumeAttributes();
    // Kubelet's volume context: the pod author's volumeAttributes, then podInfoOnMount's keys,
    // then (outside tokens-in-secrets mode) the tokens; kubelet's own keys win.
    Map<String, String> volumeContext = new HashMap<>(pod.volumeAttributes());
    volumeContext.put(SECRET_PROVIDER_CLASS, spc.name());
    volumeContext.putAll(podInfo());
    volumeContext.put(EPHEMERAL, Boolean.toString(pod.ephemeral()));
    Map<String, String> secrets =
        nodePublishSecret == null ? null : new HashMap<>(nodePublishSecret.data());
    if (tokens != null) {
      if (tokensInSecrets) {
        secrets = secrets == null ? new HashMap<>() : secrets;
        secrets.put(ServiceAccountTokens.KEY, tokens.json());
      } else {
        volumeContext.put(ServiceAccountTokens.KEY, tokens.json());
      }
    }
    // The driver: parameters, overlaid by the whole volume context, then the tokens it found
    // (in the secrets first, else in the volume context).
    Map<String, String> attributes = new HashMap<>(spc.parameters());
    attributes.putAll(volumeContext);
    String foundTokens =
        secrets != null && secrets.containsKey(ServiceAccountTokens.KEY)
            ? secrets.get(ServiceAccountTokens.KEY)
            : volumeContext.getOrDefault(ServiceAccountTokens.KEY, "");
    if (!foundTokens.isEmpty()) {
      attributes.put(ServiceAccountTokens.KEY, foundTokens);
    }
    return new DriverRequest(
        GoJson.sorted(attributes),
        secrets == null ? null : GoJson.sorted(secrets),
        targetPath,
        PERMISSION,
        List.of(),
        false);
  }

  /**
   * Driver v1.5's rotation reconciler's request: the parameters plus the pod's four keys and the
   * tokens (it minted them itself), no volume attributes; the nodePublishSecretRef data or {@code
   * {}}; and the versions recorded for the mount.
   */
  public DriverRequest v15Rotation(List<ObjectVersion> mountedVersions) {
    Map<String, String> attributes = new HashMap<>(spc.parameters());
    attributes.putAll(podInfo());
    if (tokens != null) {
      attributes.put(ServiceAccountTokens.KEY, tokens.json());
    }
    Map<String, String> secrets = nodePublishSecret == null ? Map.of() : nodePublishSecret.data();
    return new DriverRequest(
        GoJson.sorted(attributes),
        GoJson.sorted(secrets),
        targetPath,
        PERMISSION,
        mountedVersions,
        true);
  }

  private Map<String, String> podInfo() {
    return Map.of(
        PodIdentity.NAME, pod.name(),
        PodIdentity.NAMESPACE, pod.namespace(),
        PodIdentity.UID, pod.uid(),
        PodIdentity.SERVICE_ACCOUNT, pod.serviceAccount());
  }

  private void checkVolumeAttributes() {
    String named = pod.volumeAttributes().get(SECRET_PROVIDER_CLASS);
    if (named != null && !named.equals(spc.name())) {
      // The driver looks the SecretProviderClass up by this attribute; another name is another SPC.
      throw new DriverFailure(
          "--volume-attribute secretProviderClass must be the --spc's metadata.name (or be left out)");
    }
  }
}
