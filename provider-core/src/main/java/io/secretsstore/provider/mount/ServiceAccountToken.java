// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.time.Instant;
import java.util.Objects;

/**
 * A pod's service-account token for one audience. The token is a credential: it is never printed,
 * and {@link #toString()} shows only the audience and expiry.
 */
public final class ServiceAccountToken {
  private final String audience;
  private final String token;
  private final Instant expiresAt;

  public ServiceAccountToken(String audience, String token, Instant expiresAt) {
    this.audience = Objects.requireNonNull(audience, "audience");
    this.token = Objects.requireNonNull(token, "token");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public String audience() {
    return audience;
  }

  /** The JWT itself, for the backend login only. */
  public String value() {
    return token;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceAccountToken other
        && audience.equals(other.audience)
        && token.equals(other.token)
        && expiresAt.equals(other.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(audience, token, expiresAt);
  }

  @Override
  public String toString() {
    return "ServiceAccountToken[audience="
        + audience
        + ", expiresAt="
        + expiresAt
        + ", token=<redacted>]";
  }
}
