// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.secretsstore.provider.mount.ObjectVersion;
import java.util.List;

/**
 * A provider's MountResponse as received, unchecked: the driver emulator and the conformance checks
 * judge it, so nothing is rejected here.
 *
 * @param files the files as returned
 * @param versions the object versions as returned
 * @param errorCode {@code error.code}, empty when unset
 * @param serializedBytes the size of the response on the wire
 */
public record MountReply(
    List<ReturnedFile> files, List<ObjectVersion> versions, String errorCode, int serializedBytes) {
  public MountReply {
    files = List.copyOf(files);
    versions = List.copyOf(versions);
  }

  /**
   * One returned file; its contents are secret and left out of {@link #toString()}.
   *
   * @param path the path as returned
   * @param mode the mode as returned (not necessarily valid)
   * @param contents the bytes
   */
  public record ReturnedFile(String path, int mode, byte[] contents) {
    @Override
    public String toString() {
      return "ReturnedFile[path=" + path + ", mode=" + mode + ", size=" + contents.length + "]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ReturnedFile other
          && path.equals(other.path)
          && mode == other.mode
          && java.util.Arrays.equals(contents, other.contents);
    }

    @Override
    public int hashCode() {
      return path.hashCode() * 31 + mode;
    }
  }
}
