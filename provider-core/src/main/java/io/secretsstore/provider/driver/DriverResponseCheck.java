// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.MountReply.ReturnedFile;
import io.secretsstore.provider.mount.FilePaths;
import io.secretsstore.provider.mount.ObjectVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The driver's checks of a MountResponse, in its order (driver-contract §4): a provider error code
 * fails, no object version fails, above 1 MiB is only a warning, no files is legacy success, and
 * one path the driver's writer refuses fails the whole mount before anything is written. A non-OK
 * status never gets here: {@link ProviderCall} fails on it.
 */
public final class DriverResponseCheck {
  /** Above this the driver logs a warning: a Kubernetes Secret holds at most 1 MiB. */
  public static final int SYNC_LIMIT_BYTES = 1024 * 1024;

  /** The driver's log line for a response above {@link #SYNC_LIMIT_BYTES}. */
  public static final String SIZE_WARNING = "proto above 1MiB, secret sync may fail";

  private DriverResponseCheck() {}

  /**
   * Judges a response as the driver would.
   *
   * @throws DriverFailure with the driver's message when it would fail the mount
   */
  public static CheckedResponse check(MountReply reply) {
    if (!reply.errorCode().isEmpty()) {
      throw new DriverFailure(
          "mount request failed with provider error code " + Printable.of(reply.errorCode()));
    }
    if (reply.versions().isEmpty()) {
      throw new DriverFailure("missing object versions");
    }
    List<String> warnings = new ArrayList<>();
    SortedMap<String, String> versions = new TreeMap<>();
    for (ObjectVersion version : reply.versions()) {
      if (versions.put(version.id(), version.version()) != null) {
        warnings.add(
            "object id "
                + Printable.quoted(version.id())
                + " is returned more than once; the driver keeps the last version");
      }
    }
    if (reply.serializedBytes() > SYNC_LIMIT_BYTES) {
      warnings.add(SIZE_WARNING + " (size " + reply.serializedBytes() + " bytes)");
    }
    SortedMap<String, ReturnedFile> files = new TreeMap<>();
    for (int i = 0; i < reply.files().size(); i++) {
      ReturnedFile file = reply.files().get(i);
      checkPath(file.path(), i);
      if (files.put(file.path(), file) != null) {
        warnings.add(
            name(i, file.path()) + " repeats an earlier path; the driver writes the last one");
      }
      FilePaths.providerViolation(file.path())
          .ifPresent(why -> warnings.add(name(file) + " passes the driver's checks, but " + why));
      if (file.mode() < 0 || file.mode() > 0777) {
        warnings.add(
            name(file)
                + " has mode "
                + file.mode()
                + ", outside 0..511; only its permission bits ("
                + String.format("%04o", file.mode() & 0777)
                + ") are applied");
      }
    }
    // The driver's write fails when one path is a file and a directory of another (a, a/b).
    FilePaths.firstClash(files.keySet())
        .ifPresent(
            c -> {
              throw new DriverFailure(
                  "file write failed: path "
                      + Printable.quoted(c.path())
                      + " "
                      + c.reason()
                      + "; nothing was written");
            });
    return new CheckedResponse(versions, files, warnings, reply.serializedBytes());
  }

  private static void checkPath(String path, int index) {
    Optional<String> violation = FilePaths.driverViolation(path);
    if (violation.isPresent()) {
      throw new DriverFailure(
          "invalid path: "
              + name(index, path)
              + ": "
              + violation.get()
              + "; the whole response is rejected and nothing was written");
    }
    if (path.equals(".")) {
      // The driver's check lets "." through, and its cleanup of provider-written files then
      // deletes the mount directory itself. The emulator refuses rather than do that.
      throw new DriverFailure(
          "invalid path: "
              + name(index, path)
              + ": the driver would remove the whole target directory and fail the write; nothing was written");
    }
  }

  private static String name(int index, String path) {
    return "files[" + index + "] " + Printable.quoted(path);
  }

  private static String name(ReturnedFile file) {
    return "file " + Printable.quoted(file.path());
  }
}
