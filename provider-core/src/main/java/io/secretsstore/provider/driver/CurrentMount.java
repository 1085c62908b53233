// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a target directory holds now, read without following any link out of it: the timestamped
 * directory {@code ..data} points to, and every entry inside that directory. A {@code ..data} that
 * is not a link to a {@code ..}-named directory right inside the target is refused, since the
 * writer would later delete what it points to.
 */
final class CurrentMount {
  static final String DATA_DIR = "..data";
  static final String DATA_DIR_TMP = "..data_tmp";

  private final Path target;
  private final Optional<String> dataDirName;
  private final Map<String, BasicFileAttributes> entries;

  private CurrentMount(
      Path target, Optional<String> dataDirName, Map<String, BasicFileAttributes> entries) {
    this.target = target;
    this.dataDirName = dataDirName;
    this.entries = entries;
  }

  /** Whether the target holds a mount made by the atomic writer (a {@code ..data} link). */
  static boolean exists(Path target) {
    return Files.isSymbolicLink(target.resolve(DATA_DIR));
  }

  /** Reads the target's current mount, if any. */
  static CurrentMount read(Path target) throws IOException {
    Path link = target.resolve(DATA_DIR);
    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      return new CurrentMount(target, Optional.empty(), Map.of());
    }
    if (!Files.isSymbolicLink(link)) {
      throw new DriverFailure(
          "file write failed: "
              + link
              + " is not a symbolic link, so the target was not written by the driver's writer");
    }
    String name = Files.readSymbolicLink(link).toString();
    boolean inside =
        name.startsWith("..")
            && !name.contains("/")
            && !name.equals("..")
            && !name.equals(DATA_DIR)
            && !name.equals(DATA_DIR_TMP);
    if (!inside) {
      throw new DriverFailure(
          "file write failed: "
              + link
              + " does not point to a timestamped directory inside the target; refusing to follow it");
    }
    Path dir = target.resolve(name);
    Map<String, BasicFileAttributes> entries = new TreeMap<>();
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      // Not following links: a link inside the old directory is an entry, never a way out.
      Files.walkFileTree(
          dir,
          EnumSet.noneOf(FileVisitOption.class),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              if (!d.equals(dir)) {
                entries.put(relative(dir, d), attrs);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              entries.put(relative(dir, file), attrs);
              return FileVisitResult.CONTINUE;
            }
          });
    }
    return new CurrentMount(target, Optional.of(name), entries);
  }

  /** The name of the directory {@code ..data} points to, when there is a mount. */
  Optional<String> dataDirName() {
    return dataDirName;
  }

  /** Every path inside the current data directory, files and directories, relative with '/'. */
  Set<String> paths() {
    return entries.keySet();
  }

  /**
   * Whether the current data directory holds a regular file at {@code path} with exactly these
   * bytes.
   */
  boolean holds(String path, byte[] contents) throws IOException {
    BasicFileAttributes attrs = entries.get(path);
    if (dataDirName.isEmpty()
        || attrs == null
        || !attrs.isRegularFile()
        || attrs.size() != contents.length) {
      return false;
    }
    return Arrays.equals(
        Files.readAllBytes(target.resolve(dataDirName.get()).resolve(path)), contents);
  }

  private static String relative(Path base, Path path) {
    return base.relativize(path).toString();
  }
}
