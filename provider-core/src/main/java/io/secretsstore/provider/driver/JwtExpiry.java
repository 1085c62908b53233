// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.json.JsonLongs;
import io.secretsstore.provider.json.JsonMappers;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The {@code exp} claim of a JWT, read without verifying anything: kubelet reports the expiry the
 * API server gave with the token, and for a token read from a file the claim is the best stand-in.
 * Any failure is an empty result, never an exception: a parser's message would quote the token.
 */
final class JwtExpiry {
  /** A claim beyond year 9999 cannot be written as RFC 3339. */
  private static final long MAX_EPOCH_SECONDS = 253402300799L;

  private JwtExpiry() {}

  /** The expiry in the token's payload, if it has a usable numeric {@code exp}. */
  static Optional<Instant> of(String jwt) {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length < 2) {
      return Optional.empty();
    }
    try {
      JsonNode claims =
          JsonMappers.READER.readTree(Base64.getUrlDecoder().decode(stripPadding(parts[1])));
      JsonNode exp = claims == null ? null : claims.get("exp");
      if (exp == null || !exp.isNumber()) {
        return Optional.empty();
      }
      // As before: a fraction is cut off, an integer beyond a long wraps.
      long seconds = JsonLongs.asLong(exp);
      return seconds > 0 && seconds <= MAX_EPOCH_SECONDS
          ? Optional.of(Instant.ofEpochSecond(seconds))
          : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static String stripPadding(String part) {
    int end = part.length();
    while (end > 0 && part.charAt(end - 1) == '=') {
      end--;
    }
    return part.substring(0, end);
  }
}
