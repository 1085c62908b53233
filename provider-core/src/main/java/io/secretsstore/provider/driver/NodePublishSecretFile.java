// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Secret a volume names in {@code nodePublishSecretRef}, read from a manifest. Kubelet passes
 * its data to the driver as strings, and the driver sends them as the {@code secrets} JSON. {@code
 * stringData} wins over {@code data} on a shared key, as the API server merges them. Values never
 * leave this class except through {@link #data()}: not in messages, not in {@link #toString()}.
 */
public final class NodePublishSecretFile {
  private static final String WHAT = "--node-publish-secret";

  private final Map<String, String> data;

  private NodePublishSecretFile(Map<String, String> data) {
    this.data = Map.copyOf(data);
  }

  /** Reads a Secret manifest ({@code apiVersion: v1}, {@code kind: Secret}). */
  public static NodePublishSecretFile read(Path file) {
    return from(SafeYaml.loadMapping(file, WHAT));
  }

  /** Parses a Secret manifest text. */
  public static NodePublishSecretFile parse(String yaml) {
    return from(SafeYaml.loadMapping(yaml, WHAT));
  }

  private static NodePublishSecretFile from(Map<?, ?> manifest) {
    if (!"v1".equals(SafeYaml.string(manifest, "apiVersion", "apiVersion", WHAT).orElse(""))
        || !"Secret".equals(SafeYaml.string(manifest, "kind", "kind", WHAT).orElse(""))) {
      throw new DriverFailure(WHAT + ": expected a Secret manifest (apiVersion: v1, kind: Secret)");
    }
    Map<String, String> result = new LinkedHashMap<>();
    Map<?, ?> data = SafeYaml.mapping(manifest, "data", "data", WHAT).orElse(Map.of());
    int index = 0;
    for (Map.Entry<?, ?> entry : data.entrySet()) {
      String key = SafeYaml.key(entry.getKey(), index, "data", WHAT);
      result.put(key, decode(entry.getValue(), SafeYaml.describe("data", key, index)));
      index++;
    }
    Map<?, ?> stringData =
        SafeYaml.mapping(manifest, "stringData", "stringData", WHAT).orElse(Map.of());
    index = 0;
    for (Map.Entry<?, ?> entry : stringData.entrySet()) {
      String key = SafeYaml.key(entry.getKey(), index, "stringData", WHAT);
      if (!(entry.getValue() instanceof String value)) {
        throw new DriverFailure(
            WHAT + ": " + SafeYaml.describe("stringData", key, index) + " must be a string");
      }
      result.put(key, value);
      index++;
    }
    return new NodePublishSecretFile(result);
  }

  private static String decode(Object value, String where) {
    if (!(value instanceof String text)) {
      throw new DriverFailure(WHAT + ": " + where + " must be a base64 string");
    }
    try {
      // Go's base64 decoder, which reads Secret data, skips line breaks.
      byte[] bytes = Base64.getDecoder().decode(text.replace("\n", "").replace("\r", ""));
      // Kubelet converts the bytes with string(b); json.Marshal then writes invalid UTF-8 as
      // U+FFFD,
      // which is what decoding with replacement gives here.
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes the offending character of the secret.
      throw new DriverFailure(WHAT + ": " + where + " is not valid base64");
    }
  }

  /** The data as kubelet passes it: key to string value. */
  public Map<String, String> data() {
    return data;
  }

  /** The keys only. */
  public Set<String> keys() {
    return data.keySet();
  }

  @Override
  public String toString() {
    return "NodePublishSecret" + keys();
  }
}
