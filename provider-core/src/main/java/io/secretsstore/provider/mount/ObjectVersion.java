// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.util.Objects;

/**
 * The version of one mounted object, as the driver records it in the pod status.
 *
 * @param id unique id of the object in the mount, e.g. {@code secret/db-password}
 * @param version the backend's version id, or a keyed HMAC where the backend has none
 */
public record ObjectVersion(String id, String version) {
  public ObjectVersion {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
  }
}
