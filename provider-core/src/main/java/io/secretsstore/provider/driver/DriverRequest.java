// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.json.GoJson;
import io.secretsstore.provider.mount.ObjectVersion;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * The MountRequest the driver would send, as values before encoding. Attributes and secrets hold
 * tokens and secret data, so {@link #toString()} shows keys only.
 *
 * @param attributes the attributes map, in Go's key order
 * @param secrets the nodePublishSecretRef data (plus tokens in tokens-in-secrets mode); {@code
 *     null} when kubelet passes none, which the driver sends as the JSON literal {@code null}
 * @param targetPath the absolute target directory
 * @param permission the default file mode as the driver encodes it, {@code "420"}
 * @param currentVersions the object versions sent as {@code current_object_version}
 * @param rotationCall whether this is driver v1.5's rotation reconciler's call
 */
public record DriverRequest(
    SortedMap<String, String> attributes,
    @Nullable SortedMap<String, String> secrets,
    String targetPath,
    String permission,
    List<ObjectVersion> currentVersions,
    boolean rotationCall) {
  public DriverRequest {
    attributes = Collections.unmodifiableSortedMap(GoJson.sorted(attributes));
    secrets = secrets == null ? null : Collections.unmodifiableSortedMap(GoJson.sorted(secrets));
    currentVersions = List.copyOf(currentVersions);
  }

  /** The attributes field: Go's JSON of the map. */
  public String attributesJson() {
    return GoJson.object(attributes);
  }

  /** The secrets field: Go's JSON of the map, {@code null} for none. */
  public String secretsJson() {
    return GoJson.object(secrets);
  }

  /** The call for {@link ProviderClient#mount}. */
  public ProviderClient.MountCall toMountCall() {
    return new ProviderClient.MountCall(
        attributesJson(), secretsJson(), targetPath, permission, currentVersions);
  }

  @Override
  public String toString() {
    return "DriverRequest[attributes="
        + attributes.keySet()
        + ", secrets="
        + (secrets == null ? "null" : secrets.keySet())
        + ", targetPath="
        + targetPath
        + ", permission="
        + permission
        + ", currentVersions="
        + currentVersions
        + ", rotationCall="
        + rotationCall
        + "]";
  }
}
