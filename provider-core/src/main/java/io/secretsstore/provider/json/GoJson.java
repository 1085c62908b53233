// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Encodes string maps byte for byte as Go's {@code json.Marshal} does, since the driver and kubelet
 * build the request's JSON fields with it: keys sorted by their UTF-8 bytes, and HTML-escaping on
 * ({@code <}, {@code >}, {@code &}, U+2028 and U+2029 become six-character Unicode escapes). A
 * provider must read that form, so the emulator sends exactly it rather than whatever a Java
 * library would write.
 */
public final class GoJson {
  /**
   * Go sorts map keys as byte strings, which differs from {@link String#compareTo} beyond the BMP.
   */
  public static final Comparator<String> GO_KEY_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoJson() {}

  /** A map sorted in Go's key order. */
  public static SortedMap<String, String> sorted(Map<String, String> map) {
    SortedMap<String, String> sorted = new TreeMap<>(GO_KEY_ORDER);
    sorted.putAll(map);
    return sorted;
  }

  /**
   * {@code json.Marshal(map[string]string)}; a null map is the literal {@code null}, as Go's nil
   * map.
   */
  public static String object(@Nullable Map<String, String> map) {
    if (map == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, String> entry : sorted(map).entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      quote(entry.getKey(), out).append(':');
      quote(entry.getValue(), out);
    }
    return out.append('}').toString();
  }

  /** Appends a JSON string literal escaped as Go's encoder escapes it. */
  public static StringBuilder quote(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"', '\\' -> out.append('\\').append(c);
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(c, out);
        default -> {
          if (c < 0x20) {
            unicodeEscape(c, out);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            // A lone surrogate is not valid UTF-8; Go writes invalid UTF-8 as the replacement
            // character.
            out.append("\\ufffd");
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  private static void unicodeEscape(char c, StringBuilder out) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }
}
