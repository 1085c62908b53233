// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.mount.FileMode;
import java.util.Arrays;
import java.util.Objects;

/**
 * One file of a mount. The contents are secret: {@link #toString()} shows the path, mode and size
 * only, and the array is copied in and out so no caller can change a cached file.
 */
public final class FetchedFile {
  private final String path;
  private final FileMode mode;
  private final byte[] contents;

  public FetchedFile(String path, FileMode mode, byte[] contents) {
    this.path = Objects.requireNonNull(path, "path");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.contents = Objects.requireNonNull(contents, "contents").clone();
  }

  public String path() {
    return path;
  }

  public FileMode mode() {
    return mode;
  }

  /** A copy of the contents. */
  public byte[] contents() {
    return contents.clone();
  }

  public int size() {
    return contents.length;
  }

  /** Whether this file has the same path, mode and bytes as another. */
  public boolean sameAs(FetchedFile other) {
    return path.equals(other.path)
        && mode.equals(other.mode)
        && Arrays.equals(contents, other.contents);
  }

  @Override
  public String toString() {
    return "FetchedFile[path=" + path + ", mode=" + mode + ", size=" + contents.length + "]";
  }
}
