// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The secrets engines mounted in each namespace, and which one a request path reaches. Thread-safe.
 */
final class Mounts {
  /** The engine a path reaches and the rest of the path below its mount. */
  record Resolved(SecretsEngine engine, String path) {}

  // Seeding is rare and lookups are cheap: one lock is simplest.
  private final Map<String, Map<String, SecretsEngine>> byNamespace = new HashMap<>();

  /** The engine at a mount, created on first use; a mount seeded as another type is an error. */
  synchronized <T extends SecretsEngine> T mount(
      String namespace, String mount, Class<T> kind, String type, Supplier<T> create) {
    String name = trimSlashes(mount);
    if (name.isEmpty()
        || name.startsWith("sys") && (name.length() == 3 || name.charAt(3) == '/')
        || name.startsWith("auth/")) {
      throw new IllegalArgumentException("not a usable secrets engine mount: " + mount);
    }
    SecretsEngine engine =
        byNamespace
            .computeIfAbsent(namespace, ns -> new HashMap<>())
            .computeIfAbsent(name, m -> create.get());
    if (!engine.type().equals(type)) {
      throw new IllegalStateException(
          "mount " + name + " is already a " + engine.type() + " mount, not " + type);
    }
    return kind.cast(engine);
  }

  /** The engine whose mount is the longest prefix of {@code apiPath}, or null. */
  synchronized Resolved resolve(String namespace, String apiPath) {
    Map<String, SecretsEngine> mounts = byNamespace.getOrDefault(namespace, Map.of());
    String best = null;
    for (String mount : mounts.keySet()) {
      boolean under = apiPath.equals(mount) || apiPath.startsWith(mount + "/");
      if (under && (best == null || mount.length() > best.length())) {
        best = mount;
      }
    }
    if (best == null) {
      return null;
    }
    String rest = apiPath.length() > best.length() ? apiPath.substring(best.length() + 1) : "";
    return new Resolved(mounts.get(best), rest);
  }

  /**
   * The mounts of a namespace as {@code GET sys/mounts} lists them ({@code "secret/": {"type":"kv",
   * "options":{"version":"2"}}}), which vault-java-driver reads to learn KV versions.
   */
  synchronized Map<String, Object> describe(String namespace) {
    Map<String, Object> described = new TreeMap<>();
    byNamespace
        .getOrDefault(namespace, Map.of())
        .forEach(
            (mount, engine) -> {
              String type = engine.type();
              Map<String, Object> entry = new LinkedHashMap<>();
              entry.put("type", type.startsWith("kv-") ? "kv" : type);
              entry.put("description", "");
              entry.put(
                  "accessor",
                  (type.startsWith("kv-") ? "kv" : type)
                      + "_"
                      + Integer.toHexString(mount.hashCode()));
              entry.put("local", false);
              entry.put("seal_wrap", false);
              entry.put(
                  "options",
                  type.startsWith("kv-")
                      ? Map.of("version", type.substring("kv-v".length()))
                      : null);
              described.put(mount + "/", entry);
            });
    return described;
  }

  static String trimSlashes(String path) {
    int start = 0;
    int end = path.length();
    while (start < end && path.charAt(start) == '/') {
      start++;
    }
    while (end > start && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(start, end);
  }
}
