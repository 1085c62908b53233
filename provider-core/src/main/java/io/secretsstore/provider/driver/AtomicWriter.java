// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.grpc.MountReply.ReturnedFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Writes files into a target directory as the driver does ({@code fileutil.WritePayloads}, a copy
 * of Kubernetes' AtomicWriter): the files live in {@code ..YYYY_MM_DD_HH_MM_SS.<random>}, {@code
 * ..data} links to it, and each top-level name links to {@code ..data/<name>}, so a reader sees the
 * old set or the new set, never a mix. Nothing is rewritten when every file's bytes are the same
 * and nothing must be removed, even if modes changed, as in the driver.
 *
 * <p>Entries whose names start with {@code ..} are the writer's own or reserved: provider paths
 * cannot start with {@code ..}, so no step touches a {@code ..}-named entry except {@code ..data},
 * {@code ..data_tmp} and the timestamped directories. The emulator keeps its record of object
 * versions there too ({@link MountedVersions}). No step follows a link out of the target.
 */
public final class AtomicWriter {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss").withZone(ZoneOffset.UTC);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DATA_DIR_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private final Clock clock;

  /** A writer that names timestamped directories after {@code clock}'s UTC time. */
  public AtomicWriter(Clock clock) {
    this.clock = clock;
  }

  /** What a write did. */
  public enum Outcome {
    /** A new timestamped directory was written and {@code ..data} now points to it. */
    WRITTEN,
    /** The payload equals what {@code ..data} holds; nothing was touched. */
    UNCHANGED
  }

  /**
   * Writes a payload whose paths already passed the driver's checks.
   *
   * @param target an existing directory
   * @param payload file by path
   * @throws IOException when the file system fails; a new timestamped directory is then removed
   */
  public Outcome write(Path target, SortedMap<String, ReturnedFile> payload) throws IOException {
    removeProviderWrittenFiles(target, payload.keySet());
    CurrentMount current = CurrentMount.read(target);
    Set<String> toRemove = new TreeSet<>(current.paths());
    toRemove.removeAll(withParents(payload.keySet()));
    if (current.dataDirName().isPresent() && toRemove.isEmpty() && sameBytes(current, payload)) {
      return Outcome.UNCHANGED;
    }
    Path dataDir =
        Files.createTempDirectory(target, ".." + TIMESTAMP.format(clock.instant()) + ".");
    Path dataTmp = target.resolve(CurrentMount.DATA_DIR_TMP);
    try {
      writeFiles(dataDir, payload);
      Files.setPosixFilePermissions(dataDir, DATA_DIR_MODE);
      createTopLevelLinks(target, payload.keySet());
      if (Files.isSymbolicLink(dataTmp)) {
        Files.delete(dataTmp); // left by an interrupted write
      }
      Files.createSymbolicLink(dataTmp, dataDir.getFileName());
      Files.move(dataTmp, target.resolve(CurrentMount.DATA_DIR), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(dataTmp);
      deleteTree(dataDir);
      throw e;
    }
    removeTopLevelLinks(target, toRemove);
    if (current.dataDirName().isPresent()) {
      deleteTree(target.resolve(current.dataDirName().get()));
    }
    return Outcome.WRITTEN;
  }

  /**
   * The driver's {@code cleanupProviderFiles}: a top-level name of the payload that is not a link
   * was written by a provider itself (legacy mode) and is deleted so the link can take its place.
   */
  private static void removeProviderWrittenFiles(Path target, Set<String> paths)
      throws IOException {
    for (String top : topLevelNames(paths)) {
      Path entry = target.resolve(top);
      if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(entry)) {
        deleteTree(entry);
      }
    }
  }

  private static boolean sameBytes(CurrentMount current, SortedMap<String, ReturnedFile> payload)
      throws IOException {
    for (ReturnedFile file : payload.values()) {
      if (!current.holds(file.path(), file.contents())) {
        return false;
      }
    }
    return true;
  }

  private static void writeFiles(Path dataDir, SortedMap<String, ReturnedFile> payload)
      throws IOException {
    for (ReturnedFile file : payload.values()) {
      Path path = dataDir.resolve(file.path());
      // Directories get the process's umask, as the driver's MkdirAll(0777).
      Files.createDirectories(path.getParent());
      // Created owner-only so the bytes are never readable more widely than the final mode.
      try (OutputStream out =
          Files.newOutputStream(
              Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY)),
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING,
              LinkOption.NOFOLLOW_LINKS)) {
        out.write(file.contents());
      }
      // Exactly the returned mode, whatever the umask, as the driver's Chmod after WriteFile.
      Files.setPosixFilePermissions(path, permissions(file.mode()));
    }
  }

  private static void createTopLevelLinks(Path target, Set<String> paths) throws IOException {
    for (String top : topLevelNames(paths)) {
      Path link = target.resolve(top);
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of(CurrentMount.DATA_DIR, top));
      }
    }
  }

  private static void removeTopLevelLinks(Path target, Set<String> removed) throws IOException {
    for (String path : removed) {
      Path entry = target.resolve(path);
      if (!path.contains("/") && !path.startsWith("..") && Files.isSymbolicLink(entry)) {
        Files.delete(entry);
      }
    }
  }

  /** Every path and each of its parent directories: what must stay in the data directory. */
  private static Set<String> withParents(Set<String> paths) {
    Set<String> result = new TreeSet<>();
    for (String path : paths) {
      for (String p = path;
          !p.isEmpty();
          p = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "") {
        result.add(p);
      }
    }
    return result;
  }

  private static Set<String> topLevelNames(Set<String> paths) {
    Set<String> names = new TreeSet<>();
    for (String path : paths) {
      int slash = path.indexOf('/');
      names.add(slash < 0 ? path : path.substring(0, slash));
    }
    return names;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        result.add(bits[i]);
      }
    }
    return result;
  }

  /** Deletes a tree without following links: a link is removed, never what it points to. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
