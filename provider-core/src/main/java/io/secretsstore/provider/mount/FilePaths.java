// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The rules for file paths in a mount. {@link #driverViolation} mirrors what the driver's writer
 * rejects; {@link #providerViolation} adds what the driver lets through but must not be returned
 * ({@code .}, NUL, backslashes, control characters). Violations are described without the path
 * itself, so callers can name the object instead of echoing input.
 */
public final class FilePaths {
  static final int MAX_PATH_BYTES = 4096;
  static final int MAX_ELEMENT_BYTES = 255;

  private FilePaths() {}

  /** Why the driver would reject this path, or empty when it would accept it. */
  public static Optional<String> driverViolation(String path) {
    if (path == null || path.isEmpty()) {
      return Optional.of("file path is empty");
    }
    if (path.startsWith("/")) {
      return Optional.of("file path must be relative");
    }
    if (utf8Length(path) > MAX_PATH_BYTES) {
      return Optional.of("file path is longer than " + MAX_PATH_BYTES + " bytes");
    }
    String[] elements = path.split("/", -1);
    if (elements[0].startsWith("..")) {
      return Optional.of("file path must not start with \"..\"");
    }
    for (String element : elements) {
      if (element.equals("..")) {
        return Optional.of("file path must not contain a \"..\" element");
      }
      if (utf8Length(element) > MAX_ELEMENT_BYTES) {
        return Optional.of("file path has an element longer than " + MAX_ELEMENT_BYTES + " bytes");
      }
    }
    for (int i = 0; i < elements.length; i++) {
      // The driver requires filepath.Clean(p) == p: no empty element (a//b, a/) and no "." element
      // except a path that is exactly "." (which Clean leaves alone).
      boolean empty = elements[i].isEmpty();
      boolean dot = elements[i].equals(".") && elements.length > 1;
      if (empty || dot) {
        return Optional.of("file path is not clean (empty or \".\" element, or trailing slash)");
      }
    }
    return Optional.empty();
  }

  /** Why this provider refuses to return this path, or empty when it is fine. */
  public static Optional<String> providerViolation(String path) {
    Optional<String> driver = driverViolation(path);
    if (driver.isPresent()) {
      return driver;
    }
    if (path.equals(".")) {
      // The driver accepts ".", and its cleanup would then remove the mount root.
      return Optional.of("file path must not be \".\"");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        return Optional.of("file path must not contain a backslash");
      }
      if (c < 0x20 || c == 0x7f) {
        return Optional.of("file path must not contain NUL or control characters");
      }
    }
    return Optional.empty();
  }

  /**
   * Why a set of valid paths cannot be mounted together: a duplicate, or a file that is also a
   * directory of another ({@code a} beside {@code a/b}). Returns the offending path and reason.
   */
  public static Optional<Clash> firstClash(Collection<String> paths) {
    TreeSet<String> seen = new TreeSet<>();
    for (String path : paths) {
      if (!seen.add(path)) {
        return Optional.of(new Clash(path, "is used by more than one file"));
      }
    }
    for (String path : seen) {
      String child = seen.ceiling(path + "/");
      if (child != null && child.startsWith(path + "/")) {
        return Optional.of(new Clash(path, "is a file and also a directory of another file"));
      }
    }
    return Optional.empty();
  }

  /**
   * A path that cannot coexist with the others.
   *
   * @param path the path
   * @param reason why, without the path
   */
  public record Clash(String path, String reason) {}

  private static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
