// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.spi.ObjectVersion;
import java.util.List;

/**
 * A successful mount: every file and at least one version per object.
 *
 * @param files the files, in SecretProviderClass order
 * @param versions the object versions, in SecretProviderClass order
 */
public record MountResult(List<FetchedFile> files, List<ObjectVersion> versions) {
  public MountResult {
    files = List.copyOf(files);
    versions = List.copyOf(versions);
  }
}
