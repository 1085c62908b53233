// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.grpc.SocketPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A SecretProviderClass manifest as the driver sees it: name, namespace, {@code spec.provider} and
 * {@code spec.parameters}. What the API server would refuse (another kind, a parameter that is not
 * a string) is refused on reading; what the driver refuses at mount time is checked by {@link
 * #checkForPod} with the driver's own messages.
 */
public final class SecretProviderClassFile {
  static final Set<String> API_VERSIONS =
      Set.of("secrets-store.csi.x-k8s.io/v1", "secrets-store.csi.x-k8s.io/v1alpha1");
  private static final String WHAT = "--spc";

  private final String name;
  private final Optional<String> namespace;
  private final String provider;
  private final Map<String, String> parameters;
  private final List<SyncedKey> syncedKeys;

  /**
   * One {@code spec.secretObjects[].data[]} entry: the mounted file ({@code objectName}, a path the
   * provider returned) that feeds a key of a synced Secret of a type.
   */
  public record SyncedKey(String secretType, String objectName, String key) {}

  private SecretProviderClassFile(
      String name,
      Optional<String> namespace,
      String provider,
      Map<String, String> parameters,
      List<SyncedKey> syncedKeys) {
    this.name = name;
    this.namespace = namespace;
    this.provider = provider;
    this.parameters = Map.copyOf(parameters);
    this.syncedKeys = List.copyOf(syncedKeys);
  }

  /** Reads and checks a SecretProviderClass manifest file. */
  public static SecretProviderClassFile read(Path file) {
    return from(SafeYaml.loadMapping(file, WHAT));
  }

  /** Parses a SecretProviderClass manifest text. */
  public static SecretProviderClassFile parse(String yaml) {
    return from(SafeYaml.loadMapping(yaml, WHAT));
  }

  private static SecretProviderClassFile from(Map<?, ?> manifest) {
    String apiVersion = SafeYaml.string(manifest, "apiVersion", "apiVersion", WHAT).orElse("");
    if (!API_VERSIONS.contains(apiVersion)) {
      throw new DriverFailure(
          WHAT
              + ": apiVersion must be secrets-store.csi.x-k8s.io/v1 or secrets-store.csi.x-k8s.io/v1alpha1");
    }
    if (!"SecretProviderClass".equals(SafeYaml.string(manifest, "kind", "kind", WHAT).orElse(""))) {
      throw new DriverFailure(WHAT + ": kind must be SecretProviderClass");
    }
    Map<?, ?> metadata = SafeYaml.mapping(manifest, "metadata", "metadata", WHAT).orElse(Map.of());
    String name = SafeYaml.string(metadata, "name", "metadata.name", WHAT).orElse("");
    if (name.isEmpty()) {
      throw new DriverFailure(WHAT + ": metadata.name is required");
    }
    Optional<String> namespace =
        SafeYaml.string(metadata, "namespace", "metadata.namespace", WHAT)
            .filter(ns -> !ns.isEmpty());
    Map<?, ?> spec = SafeYaml.mapping(manifest, "spec", "spec", WHAT).orElse(Map.of());
    String provider = SafeYaml.string(spec, "provider", "spec.provider", WHAT).orElse("");
    Map<?, ?> rawParameters =
        SafeYaml.mapping(spec, "parameters", "spec.parameters", WHAT).orElse(Map.of());
    return new SecretProviderClassFile(
        name, namespace, provider, stringMap(rawParameters), syncedKeys(spec));
  }

  /**
   * The driver trims {@code objectName} before it looks the file up; entries that are not mappings
   * are skipped.
   */
  private static List<SyncedKey> syncedKeys(Map<?, ?> spec) {
    List<SyncedKey> keys = new ArrayList<>();
    if (spec.get("secretObjects") instanceof List<?> secretObjects) {
      for (Object secretObject : secretObjects) {
        if (secretObject instanceof Map<?, ?> object
            && object.get("data") instanceof List<?> data) {
          String type = String.valueOf(object.get("type") == null ? "" : object.get("type"));
          for (Object entry : data) {
            if (entry instanceof Map<?, ?> item
                && item.get("objectName") instanceof String objectName) {
              keys.add(
                  new SyncedKey(
                      type,
                      objectName.strip(),
                      String.valueOf(item.get("key") == null ? "" : item.get("key"))));
            }
          }
        }
      }
    }
    return keys;
  }

  private static Map<String, String> stringMap(Map<?, ?> raw) {
    Map<String, String> result = new LinkedHashMap<>();
    int index = 0;
    for (Map.Entry<?, ?> entry : raw.entrySet()) {
      String key = SafeYaml.key(entry.getKey(), index, "spec.parameters", WHAT);
      if (!(entry.getValue() instanceof String value)) {
        // Kubernetes types parameters as map[string]string: 1, true or a list would be refused.
        throw new DriverFailure(
            WHAT
                + ": "
                + SafeYaml.describe("spec.parameters", key, index)
                + " must be a string (quote numbers and booleans in YAML)");
      }
      result.put(key, value);
      index++;
    }
    return result;
  }

  /**
   * Applies the driver's checks for a pod in {@code podNamespace}, in the driver's order: the SPC
   * is looked up in the pod's namespace only, then {@code spec.provider} and {@code
   * spec.parameters} must be set.
   */
  public void checkForPod(String podNamespace) {
    if (namespace.isPresent() && !namespace.get().equals(podNamespace)) {
      throw new DriverFailure(
          "failed to get secretproviderclass "
              + podNamespace
              + "/"
              + name
              + ": the manifest is in namespace "
              + namespace.get()
              + ", and the driver only looks in the pod's namespace (--namespace)");
    }
    if (provider.isEmpty()) {
      throw new DriverFailure("provider not set in " + podNamespace + "/" + name);
    }
    if (!SocketPath.PROVIDER_NAME.matcher(provider).matches()) {
      // The driver refuses such a name when it looks for the provider's socket.
      throw new DriverFailure("invalid provider: spec.provider must match ^[a-zA-Z0-9_-]{0,30}$");
    }
    if (parameters.isEmpty()) {
      throw new DriverFailure("parameters not set in " + podNamespace + "/" + name);
    }
  }

  /** metadata.name, sent as the {@code secretProviderClass} attribute. */
  public String name() {
    return name;
  }

  /** metadata.namespace, when the manifest sets one. */
  public Optional<String> namespace() {
    return namespace;
  }

  /** spec.provider, empty when unset. */
  public String provider() {
    return provider;
  }

  /** spec.parameters, the base of the attributes. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /**
   * The same class with one parameter replaced (the migration check checks one object at a time).
   */
  public SecretProviderClassFile withParameter(String key, String value) {
    Map<String, String> changed = new LinkedHashMap<>(parameters);
    changed.put(key, value);
    return new SecretProviderClassFile(name, namespace, provider, changed, syncedKeys);
  }

  /** spec.secretObjects' data entries, empty when the class syncs no Secret. */
  public List<SyncedKey> syncedKeys() {
    return syncedKeys;
  }

  @Override
  public String toString() {
    return "SecretProviderClass["
        + namespace.orElse("")
        + "/"
        + name
        + ", provider="
        + provider
        + ", parameters="
        + parameters.keySet()
        + "]";
  }
}
