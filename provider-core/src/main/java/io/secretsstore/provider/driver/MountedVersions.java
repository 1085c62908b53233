// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.json.GoJson;
import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.mount.ObjectVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The object versions of the last successful mount, kept in the target as {@code ..versions.json}
 * (a JSON object of id to version). The driver keeps them in the SecretProviderClassPodStatus; the
 * emulator has no cluster, so it keeps them beside the files, under a {@code ..} name that the
 * atomic writer never touches, and sends them back on a driver v1.5 rotation call.
 */
public final class MountedVersions {
  /** The file's name inside the target. */
  public static final String FILE_NAME = "..versions.json";

  private static final int MAX_BYTES = 4 * 1024 * 1024;

  private MountedVersions() {}

  /** The recorded versions by id, or empty when there is no readable record. */
  public static Optional<List<ObjectVersion>> read(Path target) {
    Path file = target.resolve(FILE_NAME);
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
        return Optional.empty();
      }
      JsonNode root = JsonMappers.READER.readTree(Files.readAllBytes(file));
      if (root == null || !root.isObject()) {
        return Optional.empty();
      }
      List<ObjectVersion> versions = new ArrayList<>();
      for (Map.Entry<String, JsonNode> entry : root.properties()) {
        if (!entry.getValue().isString()) {
          return Optional.empty();
        }
        versions.add(new ObjectVersion(entry.getKey(), entry.getValue().asString()));
      }
      return Optional.of(versions);
    } catch (IOException | JacksonException e) {
      return Optional.empty();
    }
  }

  /** Replaces the record atomically; a link at the file's name is replaced, never followed. */
  public static void write(Path target, SortedMap<String, String> versions) throws IOException {
    Path tmp = target.resolve(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    Files.write(
        tmp,
        GoJson.object(versions).getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    Files.move(tmp, target.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
  }
}
