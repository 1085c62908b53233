// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes query strings, form bodies and path segments. */
final class UrlEncoded {
  private UrlEncoded() {}

  /** Parses {@code a=1&b=2&a=3} (raw, still encoded) into names and their values, in order. */
  static Map<String, List<String>> parse(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return Collections.unmodifiableMap(params);
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decodeForm(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodeForm(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    params.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(params);
  }

  private static String decodeForm(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // A malformed escape is kept as written rather than failing the whole request.
      return text;
    }
  }

  /**
   * Decodes {@code %XX} escapes of one path segment as UTF-8; unlike forms, {@code +} stays {@code
   * +}.
   */
  static String decodePathSegment(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    int i = 0;
    while (i < segment.length()) {
      int hi =
          i + 2 < segment.length() && segment.charAt(i) == '%'
              ? Character.digit(segment.charAt(i + 1), 16)
              : -1;
      int lo = hi < 0 ? -1 : Character.digit(segment.charAt(i + 2), 16);
      if (lo >= 0) {
        bytes.write(hi << 4 | lo);
        i += 3;
      } else {
        // Copy everything up to the next '%' as it is (as UTF-8, surrogate pairs kept whole).
        int next = segment.indexOf('%', i + 1);
        int end = next < 0 ? segment.length() : next;
        bytes.writeBytes(segment.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
