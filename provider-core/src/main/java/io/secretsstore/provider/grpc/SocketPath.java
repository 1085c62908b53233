// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.secretsstore.provider.mount.SafeText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * Where the provider's socket lives and the checks before it is published there. The driver finds a
 * provider at {@code <dir>/<name>.sock}, with the name as the SecretProviderClass's {@code
 * provider}.
 */
public final class SocketPath {
  /** The driver's rule for provider names (it also allows an empty name; a socket needs one). */
  public static final Pattern PROVIDER_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,30}");

  /** sun_path holds 108 bytes including the terminating NUL. */
  static final int MAX_SOCKET_PATH_BYTES = 107;

  /** The suffix of the private directory name plus the socket name used while binding. */
  private static final int PRIVATE_SUFFIX_BYTES = "/.bind-01234567890123456789/s".length();

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private SocketPath() {}

  /**
   * The socket path for a provider name in a directory, after checking the name and that the path
   * (and the private path used while binding) fits in a Unix socket address.
   */
  public static Path of(Path directory, String providerName) {
    if (providerName == null || !PROVIDER_NAME.matcher(providerName).matches()) {
      throw new IllegalArgumentException(
          "provider name "
              + (SafeText.isPlainName(providerName) ? "\"" + providerName + "\" " : "")
              + "must match ^[a-zA-Z0-9_-]{1,30}$ (the driver's rule for SecretProviderClass provider names)");
    }
    Path dir = directory.toAbsolutePath().normalize();
    Path socket = dir.resolve(providerName + ".sock");
    int longest = Math.max(bytes(socket), bytes(dir) + PRIVATE_SUFFIX_BYTES);
    if (longest > MAX_SOCKET_PATH_BYTES) {
      throw new IllegalArgumentException(
          "socket directory "
              + dir
              + " is too long: Unix socket paths are limited to "
              + MAX_SOCKET_PATH_BYTES
              + " bytes, and this one would need "
              + longest);
    }
    return socket;
  }

  /**
   * Refuses a path that exists and is not a socket: a symlink could point the driver (or our
   * cleanup) anywhere, and a regular file or directory is somebody else's. A stale socket is fine;
   * publishing replaces it.
   */
  static void checkReplaceable(Path socket) throws IOException {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isSymbolicLink(socket)) {
      throw new IOException(
          "refusing to start: "
              + socket
              + " is a symbolic link; remove it or choose another --socket-dir");
    }
    int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new IOException(
          "refusing to start: "
              + socket
              + " exists and is not a socket; remove it or choose another --socket-dir");
    }
  }

  /** A fresh directory beside the socket, mode 0700 from its creation, to bind in privately. */
  static Path createPrivateDirectory(Path socket) throws IOException {
    Path dir = socket.getParent();
    Files.createDirectories(dir);
    return Files.createTempDirectory(
        dir,
        ".bind-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** Whether the path is a socket (not following links). */
  static boolean isSocket(Path path) {
    try {
      int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return (mode & S_IFMT) == S_IFSOCK;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static int bytes(Path path) {
    return path.toString().getBytes(StandardCharsets.UTF_8).length;
  }
}
