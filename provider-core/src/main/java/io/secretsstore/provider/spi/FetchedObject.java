// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.mount.FileMode;
import java.util.List;

/**
 * What fetching one planned object produced: usually one file and one version, more where the
 * backend writes several files for one object (JSON extraction, version history).
 */
public record FetchedObject(List<FetchedFile> files, List<ObjectVersion> versions) {
  public FetchedObject {
    files = List.copyOf(files);
    versions = List.copyOf(versions);
  }

  /** One file at the planned path and mode with one version under the planned id. */
  public static FetchedObject single(PlannedObject<?> object, byte[] contents, String version) {
    return new FetchedObject(
        List.of(new FetchedFile(object.path(), object.mode(), contents)),
        List.of(new ObjectVersion(object.id(), version)));
  }

  /** One file with an explicit path and mode. */
  public static FetchedObject single(String path, FileMode mode, byte[] contents, ObjectVersion version) {
    return new FetchedObject(List.of(new FetchedFile(path, mode, contents)), List.of(version));
  }

  /** Total size of the contents in bytes. */
  public long contentBytes() {
    long total = 0;
    for (FetchedFile file : files) {
      total += file.size();
    }
    return total;
  }
}
