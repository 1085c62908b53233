// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OAuth access tokens the emulator issued (by the token exchange or by impersonation) and the
 * IAM member each one stands for. Secret Manager and IAM Credentials accept only these.
 */
final class AccessTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Who a token stands for and until when. */
  record Grant(String member, Instant expiresAt) {}

  private final Map<String, Grant> issued = new ConcurrentHashMap<>();
  private volatile Duration lifetime = Duration.ofHours(1);

  /** A new token for a member; it lives {@link #lifetime()}. */
  String issue(String member) {
    byte[] random = new byte[24];
    RANDOM.nextBytes(random);
    String token = "ya29.emulator-" + HexFormat.of().formatHex(random);
    issued.put(token, new Grant(member, Instant.now().plus(lifetime)));
    return token;
  }

  /** The member of a token that was issued here and has not expired. */
  Optional<String> member(String token) {
    Grant grant = issued.get(token);
    if (grant == null || !Instant.now().isBefore(grant.expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(grant.member());
  }

  Duration lifetime() {
    return lifetime;
  }

  void lifetime(Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("token lifetime must be positive");
    }
    lifetime = value;
  }

  /** Makes every token issued so far unusable, as if they had all expired. */
  void expireAll() {
    issued.clear();
  }
}
