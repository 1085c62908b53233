// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.mount.FileMode;
import java.util.Objects;

/**
 * One object a mount must fetch, as the backend parsed it from the SecretProviderClass.
 *
 * @param id the object-version id the driver will record (unique in the mount)
 * @param path the file path of the object's main file, relative to the volume
 * @param mode the mode of that file
 * @param spec the backend's own immutable description of what to fetch; with the plan's identity it
 *     is the cache key, so it must implement equals and hashCode and hold no secret
 * @param <S> the backend's spec type
 */
public record PlannedObject<S>(String id, String path, FileMode mode, S spec) {
  public PlannedObject {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(spec, "spec");
  }
}
