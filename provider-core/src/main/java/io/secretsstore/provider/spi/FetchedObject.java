// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.mount.ObjectVersion;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What fetching one planned object produced: usually one file and one version, more where the
 * backend writes several files for one object (JSON extraction, version history).
 *
 * @param files the files
 * @param versions at least one version
 * @param stableUntil for objects that must not be fetched again while they are valid (a dynamic
 *     database credential with a lease, an issued certificate): until when the cached value is
 *     served and not refreshed; null for ordinary objects, which are refreshed every poll interval
 */
public record FetchedObject(
    List<FetchedFile> files, List<ObjectVersion> versions, @Nullable Instant stableUntil) {
  public FetchedObject {
    files = List.copyOf(files);
    versions = List.copyOf(versions);
  }

  /** An ordinary object, refreshed every poll interval. */
  public FetchedObject(List<FetchedFile> files, List<ObjectVersion> versions) {
    this(files, versions, null);
  }

  /** The same object, served from the cache without a refresh until {@code until}. */
  public FetchedObject stableUntil(Instant until) {
    return new FetchedObject(files, versions, until);
  }

  /** Whether another fetch returned the same files and versions. */
  public boolean sameContent(FetchedObject other) {
    if (!versions.equals(other.versions) || files.size() != other.files.size()) {
      return false;
    }
    for (int i = 0; i < files.size(); i++) {
      if (!files.get(i).sameAs(other.files.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** One file at the planned path and mode with one version under the planned id. */
  public static FetchedObject single(PlannedObject<?> object, byte[] contents, String version) {
    return new FetchedObject(
        List.of(new FetchedFile(object.path(), object.mode(), contents)),
        List.of(new ObjectVersion(object.id(), version)));
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
