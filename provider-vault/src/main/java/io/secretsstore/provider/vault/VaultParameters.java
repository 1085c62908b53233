// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The SecretProviderClass parameters of one mount, as upstream's {@code config.Parse} reads them:
 * values are not trimmed, an empty value counts as unset, and checks run in upstream's order with
 * its messages. Keys upstream removed ({@code kubernetesServiceAccountPath}, {@code vaultCAPem})
 * are ignored, as are the driver's and the pod's own attributes.
 *
 * @param roleName the Vault role to log in as
 * @param address the Vault address, or empty for the provider's
 * @param namespace the Vault namespace, or empty for the provider's
 * @param authMount the auth mount path, or empty for the provider's
 * @param tls the TLS layer this SecretProviderClass adds (paths are in the provider pod)
 * @param audience the audience parameter, or empty (then {@code vault})
 * @param objects the objects, at least one, with unique names
 */
record VaultParameters(
    String roleName,
    String address,
    String namespace,
    String authMount,
    TlsConfig tls,
    String audience,
    List<SecretConfig> objects) {
  static final String DEFAULT_AUDIENCE = "vault";
  static final String ROLE_NAME = "roleName";
  static final String ADDRESS = "vaultAddress";
  static final String NAMESPACE = "vaultNamespace";
  static final String KUBERNETES_MOUNT = "vaultKubernetesMountPath";
  static final String AUTH_MOUNT = "vaultAuthMountPath";
  static final String SKIP_VERIFY = "vaultSkipTLSVerify";
  static final String CA_CERT = "vaultCACertPath";
  static final String CA_DIRECTORY = "vaultCADirectory";
  static final String SERVER_NAME = "vaultTLSServerName";
  static final String CLIENT_CERT = "vaultTLSClientCertPath";
  static final String CLIENT_KEY = "vaultTLSClientKeyPath";
  static final String AUDIENCE = "audience";
  private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
  private static final Set<String> GO_FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

  VaultParameters {
    Objects.requireNonNull(roleName, "roleName");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(authMount, "authMount");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(audience, "audience");
    objects = List.copyOf(objects);
    if (roleName.isEmpty()) {
      throw ProviderException.invalidArgument(
          "missing 'roleName' in SecretProviderClass definition");
    }
    if (objects.isEmpty()) {
      throw ProviderException.invalidArgument(
          "no secrets configured - the provider will not read any secret material");
    }
    requireUniqueNames(objects);

    for (int i = 0; i < objects.size(); i++) {
      SecretConfig object = objects.get(i);
      if (!object.secretKey().isEmpty() && !SecretContent.knownEncoding(object.encoding())) {
        throw ProviderException.invalidArgument(
            SafeText.element(ObjectsYaml.PARAMETER, i, object.objectName())
                + ": invalid encoding type. Should be utf-8, base64, or hex");
      }
    }
  }

  /** The audience of the pod token used to log in. */
  String effectiveAudience() {
    return audience.isEmpty() ? DEFAULT_AUDIENCE : audience;
  }

  /**
   * Reads the parameters from a request's attributes.
   *
   * @param targetPath the request's target path, which upstream requires
   * @throws ProviderException INVALID_ARGUMENT naming the key at fault
   */
  static VaultParameters parse(Map<String, String> attributes, String targetPath) {
    String authMount = "";
    boolean kubernetesSet = attributes.containsKey(KUBERNETES_MOUNT);
    boolean authSet = attributes.containsKey(AUTH_MOUNT);
    if (kubernetesSet && authSet) {
      throw ProviderException.invalidArgument(
          "cannot set both " + KUBERNETES_MOUNT + " and " + AUTH_MOUNT);
    }
    if (kubernetesSet) {
      authMount = attributes.get(KUBERNETES_MOUNT);
    } else if (authSet) {
      authMount = attributes.get(AUTH_MOUNT);
    }
    // These become part of a URL path or a header: checked before anything is sent.
    try {
      VaultPaths.requireNoDotSegments(kubernetesSet ? KUBERNETES_MOUNT : AUTH_MOUNT, authMount);
      VaultPaths.requireNamespace(NAMESPACE, get(attributes, NAMESPACE));
      VaultPaths.requireNoDotSegments(ADDRESS, get(attributes, ADDRESS));
    } catch (IllegalArgumentException e) {
      throw ProviderException.invalidArgument(e.getMessage());
    }
    boolean skipVerify = false;
    if (attributes.containsKey(SKIP_VERIFY)) {
      String value = attributes.get(SKIP_VERIFY);
      if (GO_TRUE.contains(value)) {
        skipVerify = true;
      } else if (!GO_FALSE.contains(value)) {
        throw ProviderException.invalidArgument(
            SKIP_VERIFY + " must be a boolean: true, false, 1, 0, t or f");
      }
    }
    TlsConfig tls =
        new TlsConfig(
            get(attributes, CA_CERT),
            get(attributes, CA_DIRECTORY),
            get(attributes, SERVER_NAME),
            get(attributes, CLIENT_CERT),
            get(attributes, CLIENT_KEY),
            skipVerify);
    List<SecretConfig> objects = ObjectsYaml.parse(attributes.get(ObjectsYaml.PARAMETER));
    if (targetPath == null || targetPath.isEmpty()) {
      throw ProviderException.invalidArgument("missing target path field");
    }
    return new VaultParameters(
        get(attributes, ROLE_NAME),
        get(attributes, ADDRESS),
        get(attributes, NAMESPACE),
        authMount,
        tls,
        get(attributes, AUDIENCE),
        objects);
  }

  /** Upstream's message, listing every repeated name (a name used three times is listed twice). */
  private static void requireUniqueNames(List<SecretConfig> objects) {
    Set<String> seen = new HashSet<>();
    List<String> conflicts = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      String name = objects.get(i).objectName();
      if (!seen.add(name)) {
        conflicts.add(SafeText.isPlainName(name) ? name : "objects[" + i + "]");
      }
    }
    if (!conflicts.isEmpty()) {
      throw ProviderException.invalidArgument(
          "each `objectName` within a SecretProviderClass must be unique, "
              + "but the following keys were duplicated: "
              + String.join(", ", conflicts));
    }
  }

  private static String get(Map<String, String> attributes, String key) {
    String value = attributes.get(key);
    return value == null ? "" : value;
  }
}
