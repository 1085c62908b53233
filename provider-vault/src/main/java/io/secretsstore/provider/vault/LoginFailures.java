// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ProviderException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logins Vault just refused, per identity and JWT, for a few seconds: the objects of one mount are
 * fetched in parallel, and without this a denied service account would cost one login per object
 * (upstream logs in once per mount). A different JWT, or the next mount after the window, tries
 * again. Only a digest of the JWT is kept.
 */
final class LoginFailures {
  static final Duration WINDOW = Duration.ofSeconds(2);
  private static final int MAX_ENTRIES = 10_000;

  private record Failure(byte[] jwtDigest, ProviderException error, Instant until) {}

  private final Map<IdentityKey, Failure> failures = new ConcurrentHashMap<>();

  /** Throws the remembered refusal when this identity's login with this JWT failed moments ago. */
  void check(IdentityKey identity, String jwt, Instant now) {
    Failure failure = failures.get(identity);
    if (failure != null
        && now.isBefore(failure.until())
        && Arrays.equals(failure.jwtDigest(), digest(jwt))) {
      throw failure.error();
    }
  }

  /** Remembers a refusal; only refusals of the credentials, not outages or throttling. */
  void remember(IdentityKey identity, String jwt, ProviderException error, Instant now) {
    if (error.isThrottled()
        || error.kind() == io.secretsstore.provider.mount.ErrorKind.UNAVAILABLE) {
      return;
    }
    if (failures.size() >= MAX_ENTRIES) {
      failures.entrySet().removeIf(e -> !now.isBefore(e.getValue().until()));
      if (failures.size() >= MAX_ENTRIES) {
        return; // a flood of refused identities: they log in again rather than grow this map
      }
    }
    failures.put(identity, new Failure(digest(jwt), error, now.plus(WINDOW)));
  }

  private static byte[] digest(String jwt) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(jwt.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
