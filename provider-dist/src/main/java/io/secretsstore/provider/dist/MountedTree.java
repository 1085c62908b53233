// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * Prints a mounted volume as a pod sees it: every file through the {@code ..data} link with its
 * mode, size and the start of its contents. Only used by the demo, whose secrets are sample values
 * seeded into a local emulator.
 */
final class MountedTree {
  private static final int PREVIEW_CHARS = 48;
  private final Path target;

  MountedTree(Path target) {
    this.target = target;
  }

  void print(PrintWriter out) throws IOException {
    Path data = target.resolve("..data").toRealPath();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String relative = data.relativize(file).toString();
      out.printf(
          "  %s  %6d  %-24s %s%n",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
          Files.size(file),
          relative,
          preview(Files.readAllBytes(file)));
    }
  }

  private static String preview(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    StringBuilder safe = new StringBuilder();
    text.codePoints()
        .limit(PREVIEW_CHARS)
        .forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '.' : c));
    return text.codePointCount(0, text.length()) > PREVIEW_CHARS ? safe + "..." : safe.toString();
  }
}
