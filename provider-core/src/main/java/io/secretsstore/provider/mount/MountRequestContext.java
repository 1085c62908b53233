// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A driver's MountRequest as typed values. It accepts every shape drivers v1.5 and v1.6 send:
 * {@code secrets} as {@code null}, {@code ""}, {@code {}} or a map (possibly holding the tokens),
 * tokens absent or for several audiences, {@code current_object_version} empty or not, and any
 * extra attribute a pod author adds.
 *
 * <p>Holds tokens and nodePublishSecretRef data, so {@link #toString()} shows only the pod and the
 * attribute names.
 */
public final class MountRequestContext {
  /** The request field that carries the attributes, as named in errors. */
  public static final String ATTRIBUTES = "attributes";

  private final Map<String, String> attributes;
  private final PodIdentity pod;
  private final ServiceAccountTokens tokens;
  private final Map<String, String> nodePublishSecrets;
  private final String targetPath;
  private final FileMode defaultMode;
  private final List<ObjectVersion> currentVersions;

  private MountRequestContext(
      Map<String, String> attributes,
      PodIdentity pod,
      ServiceAccountTokens tokens,
      Map<String, String> nodePublishSecrets,
      String targetPath,
      FileMode defaultMode,
      List<ObjectVersion> currentVersions) {
    this.attributes = attributes;
    this.pod = pod;
    this.tokens = tokens;
    this.nodePublishSecrets = nodePublishSecrets;
    this.targetPath = targetPath;
    this.defaultMode = defaultMode;
    this.currentVersions = List.copyOf(currentVersions);
  }

  /**
   * Parses the fields of a MountRequest.
   *
   * @throws ProviderException INVALID_ARGUMENT naming the field or attribute at fault
   */
  public static MountRequestContext parse(
      String attributesJson,
      String secretsJson,
      String targetPath,
      String permission,
      List<ObjectVersion> currentVersions) {
    if (attributesJson == null || attributesJson.isBlank()) {
      throw ProviderException.invalidArgument(
          "attributes is empty: the SecretProviderClass has no parameters");
    }
    Map<String, String> attributes = JsonMaps.stringMap(attributesJson, ATTRIBUTES);
    Map<String, String> secrets = new LinkedHashMap<>(JsonMaps.stringMap(secretsJson, "secrets"));
    // Kubelet may pass the tokens in the secrets (serviceAccountTokenInSecrets); the driver reads
    // them from there first, and they are not nodePublishSecretRef data.
    String tokensJson = secrets.remove(ServiceAccountTokens.KEY);
    if (tokensJson == null) {
      tokensJson = attributes.get(ServiceAccountTokens.KEY);
    }
    FileMode mode =
        permission == null || permission.isEmpty()
            ? FileMode.DEFAULT
            : FileMode.parseDecimal(permission, "permission");
    PodIdentity pod = PodIdentity.from(attributes);
    ServiceAccountTokens tokens = ServiceAccountTokens.parse(tokensJson);
    TokenSubjects.requireIssuedTo(tokens, pod);
    return new MountRequestContext(
        attributes,
        pod,
        tokens,
        Map.copyOf(secrets),
        Objects.requireNonNullElse(targetPath, ""),
        mode,
        currentVersions);
  }

  /** All attributes: the SecretProviderClass parameters overlaid with the pod's volume context. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** An attribute's value; empty when absent. An empty string is returned as present. */
  public Optional<String> attribute(String key) {
    return Optional.ofNullable(attributes.get(key));
  }

  public PodIdentity pod() {
    return pod;
  }

  /**
   * Checks locally what can be checked of the tokens the backend took while planning (shape,
   * expiry, subject, audience, pod), before anything cached for the identity is used.
   *
   * @throws ProviderException UNAUTHENTICATED naming the audience
   */
  public void requireLocallyValidTokens(Instant now) {
    LocalTokenChecks.require(tokens, pod, now);
  }

  public ServiceAccountTokens tokens() {
    return tokens;
  }

  /** The nodePublishSecretRef data, without the tokens key; a credential, never to be logged. */
  public Map<String, String> nodePublishSecrets() {
    return nodePublishSecrets;
  }

  public String targetPath() {
    return targetPath;
  }

  /** The mode for files whose object sets none ({@code permission}, 0644 from every driver). */
  public FileMode defaultMode() {
    return defaultMode;
  }

  /** What the driver says is mounted now (v1.5 rotation calls only). */
  public List<ObjectVersion> currentVersions() {
    return currentVersions;
  }

  @Override
  public String toString() {
    return "MountRequestContext[pod="
        + pod
        + ", attributes="
        + attributes.keySet()
        + ", tokens="
        + tokens.audiences()
        + ", nodePublishSecrets="
        + nodePublishSecrets.size()
        + " keys]";
  }
}
