// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.spi.FetchedFile;
import java.util.List;

/**
 * A successful mount: every object in SecretProviderClass order, each with at least one version.
 *
 * @param objects the served objects
 */
public record MountResult(List<ServedObject> objects) {
  public MountResult {
    objects = List.copyOf(objects);
  }

  /** Every file, in SecretProviderClass order. */
  public List<FetchedFile> files() {
    return objects.stream().flatMap(o -> o.object().files().stream()).toList();
  }

  /** Every object version, in SecretProviderClass order. */
  public List<ObjectVersion> versions() {
    return objects.stream().flatMap(o -> o.object().versions().stream()).toList();
  }
}
