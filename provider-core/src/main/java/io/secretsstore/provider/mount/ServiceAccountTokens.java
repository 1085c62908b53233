// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The tokens kubelet minted for the pod, by audience, from {@code
 * csi.storage.k8s.io/serviceAccount.tokens}. Tokens for every configured audience reach every
 * provider; a backend asks for exactly the one audience it uses.
 */
public final class ServiceAccountTokens {
  /** The attribute (or nodePublish secret key) that carries the tokens. */
  public static final String KEY = "csi.storage.k8s.io/serviceAccount.tokens";

  private static final ServiceAccountTokens NONE = new ServiceAccountTokens(Map.of());

  private final Map<String, Map<String, String>> byAudience;

  /**
   * The audiences a backend took a token of ({@link #require}): the tokens its credentials stand
   * for.
   */
  private final Set<String> required = ConcurrentHashMap.newKeySet();

  private ServiceAccountTokens(Map<String, Map<String, String>> byAudience) {
    this.byAudience = byAudience;
  }

  /** Parses the attribute value; absent or empty means no tokens. */
  static ServiceAccountTokens parse(@Nullable String json) {
    if (json == null || json.isBlank()) {
      return NONE;
    }
    return new ServiceAccountTokens(JsonMaps.objectOfStringMaps(json, KEY));
  }

  /** Each audience's token text, empty when absent; for checks before the backend sees them. */
  Map<String, String> tokensByAudience() {
    Map<String, String> tokens = new java.util.LinkedHashMap<>();
    byAudience.forEach(
        (audience, entry) ->
            tokens.put(audience, Optional.ofNullable(entry.get("token")).orElse("")));
    return tokens;
  }

  /**
   * Each required audience's token text ({@link #require} succeeded for it), for checks before
   * cached credentials are used.
   */
  Map<String, String> requiredTokens() {
    Map<String, String> tokens = new java.util.LinkedHashMap<>(tokensByAudience());
    tokens.keySet().retainAll(required);
    return tokens;
  }

  /** The audiences present (names only). */
  public Set<String> audiences() {
    return byAudience.keySet();
  }

  /** Whether a token entry exists for the audience, usable or not. */
  public boolean has(String audience) {
    return byAudience.containsKey(audience);
  }

  /**
   * The usable token for an audience, checked before any backend call: present, non-empty and not
   * expired at {@code now}.
   *
   * @throws ProviderException UNAUTHENTICATED naming the audience, never the token
   */
  public ServiceAccountToken require(String audience, Instant now) {
    Map<String, String> entry = byAudience.get(audience);
    if (entry == null) {
      throw ProviderException.unauthenticated(
          "no service account token for audience \""
              + audience
              + "\" in "
              + KEY
              + ": add the audience to the CSIDriver's tokenRequests");
    }
    String token = Optional.ofNullable(entry.get("token")).orElse("");
    if (token.isBlank()) {
      throw ProviderException.unauthenticated(
          "the service account token for audience \"" + audience + "\" is empty");
    }
    Instant expiresAt = expiry(entry.get("expirationTimestamp"), audience);
    if (!expiresAt.isAfter(now)) {
      throw ProviderException.unauthenticated(
          "the service account token for audience \"" + audience + "\" has expired");
    }
    required.add(audience);
    return new ServiceAccountToken(audience, token, expiresAt);
  }

  private static Instant expiry(@Nullable String text, String audience) {
    if (text == null || text.isBlank()) {
      throw ProviderException.unauthenticated(
          "the service account token for audience \"" + audience + "\" has no expirationTimestamp");
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ProviderException.unauthenticated(
          "the expirationTimestamp of the service account token for audience \""
              + audience
              + "\" is not an RFC 3339 time");
    }
  }

  @Override
  public String toString() {
    return "ServiceAccountTokens" + audiences();
  }
}
