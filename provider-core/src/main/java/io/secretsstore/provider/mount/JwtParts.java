// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import io.secretsstore.provider.json.JsonMappers;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The header and claims of a JWS compact token, read without verifying its signature. Any failure
 * is an empty result, never an exception: a parser's message could quote the token.
 *
 * @param header the decoded header, a JSON object
 * @param claims the decoded payload, a JSON object
 */
record JwtParts(JsonNode header, JsonNode claims) {
  /** Unpadded base64url, as JWS compact serialization writes each part. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

  /** Longer than any service-account token kubelet requests (a few KiB). */
  private static final int MAX_CHARS = 16 * 1024;

  /**
   * The parts of a token shaped {@code header.payload.signature} whose header and payload are JSON
   * objects.
   */
  static Optional<JwtParts> of(String jwt) {
    if (jwt.length() > MAX_CHARS) {
      return Optional.empty();
    }
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3
        || !SEGMENT.matcher(parts[0]).matches()
        || !SEGMENT.matcher(parts[1]).matches()
        || !SEGMENT.matcher(parts[2]).matches()) {
      return Optional.empty();
    }
    return object(parts[0])
        .flatMap(header -> object(parts[1]).map(claims -> new JwtParts(header, claims)));
  }

  /**
   * The claims of a token shaped like a JWT, however loosely (two or three parts, padding allowed).
   */
  static Optional<JsonNode> looseClaims(String jwt) {
    String[] parts = jwt.split("\\.", -1);
    return parts.length == 3 ? object(parts[1].replace("=", "")) : Optional.empty();
  }

  /** A textual claim, if present. */
  Optional<String> text(String name) {
    JsonNode node = claims.get(name);
    return node != null && node.isString() ? Optional.of(node.asString()) : Optional.empty();
  }

  private static Optional<JsonNode> object(String segment) {
    try {
      JsonNode node = JsonMappers.READER.readTree(Base64.getUrlDecoder().decode(segment));
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
