// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The HTTP request for an object, built as upstream's {@code generateSecretRequest} builds it:
 * {@code /v1/} prepended when missing, the text after {@code ?} sent as query parameters (sorted,
 * as Go encodes them), the path cleaned as Go's {@code path.Join} cleans it, and {@code secretArgs}
 * as the JSON body. Two objects with equal requests share one Vault call; unlike upstream, the body
 * is part of that key, so two PKI objects with different common names get different certificates.
 *
 * @param method the HTTP method
 * @param path the escaped path, starting with {@code /v1/}
 * @param query the encoded query, or empty
 * @param body the JSON body, or null
 */
record SecretRequest(String method, String path, String query, String body) {
  SecretRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
  }

  /**
   * @throws IllegalArgumentException naming the key at fault (a dot segment in secretPath, a bad
   *     query)
   */
  static SecretRequest of(SecretConfig config) {
    VaultPaths.requireNoDotSegments("secretPath", VaultPaths.pathPart(config.secretPath()));
    String full = ensureV1Prefix(config.secretPath());
    int mark = full.indexOf('?');
    String rawPath = mark < 0 ? full : full.substring(0, mark);
    String query = mark < 0 ? "" : encode(parseQuery(full.substring(mark + 1)));
    String body =
        config.secretArgs() == null
            ? null
            : new String(GoJsonEncoder.encode(config.secretArgs()), StandardCharsets.UTF_8);
    return new SecretRequest(config.requestMethod(), escapePath(clean(rawPath)), query, body);
  }

  /** The path and query to append to the address. */
  String pathAndQuery() {
    return query.isEmpty() ? path : path + "?" + query;
  }

  byte[] bodyBytes() {
    return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
  }

  static String ensureV1Prefix(String path) {
    if (path.startsWith("/v1/")) {
      return path;
    }
    if (path.startsWith("v1/")) {
      return "/" + path;
    }
    if (path.startsWith("/")) {
      return "/v1" + path;
    }
    return "/v1/" + path;
  }

  /**
   * Go's {@code url.ParseQuery}: {@code &}-separated, {@code +} is a space; a semicolon is an
   * error.
   */
  static Map<String, List<String>> parseQuery(String query) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      if (pair.contains(";")) {
        throw new IllegalArgumentException("secretPath has a semicolon in its query");
      }
      int equals = pair.indexOf('=');
      String key = unescape(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : unescape(pair.substring(equals + 1));
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return values;
  }

  private static String unescape(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("secretPath has an invalid escape in its query");
    }
  }

  /** Go's {@code url.Values.Encode}: sorted by key, {@code QueryEscape}d. */
  private static String encode(Map<String, List<String>> values) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<String>> entry : new TreeMap<>(values).entrySet()) {
      for (String value : entry.getValue()) {
        out.append(out.length() == 0 ? "" : "&")
            .append(queryEscape(entry.getKey()))
            .append('=')
            .append(queryEscape(value));
      }
    }
    return out.toString();
  }

  private static String queryEscape(String text) {
    // URLEncoder differs from Go's QueryEscape only on '*' (Go escapes it) and '~' (Go keeps it).
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
  }

  /**
   * Go's {@code path.Join(address path, request path)} cleaning: no empty, "." or resolved ".."
   * segments.
   */
  static String clean(String path) {
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    return "/" + String.join("/", segments);
  }

  /**
   * Go's path escaping: unreserved characters and {@code $&+,/:;=@} stay, the rest is %-encoded.
   */
  static String escapePath(String path) {
    StringBuilder out = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~$&+,/:;=@".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "SecretRequest["
        + method
        + " "
        + path
        + (query.isEmpty() ? "" : "?<query>")
        + (body == null ? "" : " <body>")
        + "]";
  }
}
