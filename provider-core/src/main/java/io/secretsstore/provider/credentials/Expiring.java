// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.credentials;

import java.time.Instant;
import java.util.Objects;

/**
 * A derived credential (an STS session, an AAD or Google access token, a Vault token) and when it
 * stops working. The value is a credential: this record's {@code toString} never shows it.
 *
 * @param value the credential
 * @param expiresAt when the backend stops accepting it
 * @param <C> the credential type
 */
public record Expiring<C>(C value, Instant expiresAt) {
  public Expiring {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "Expiring[value=<redacted>, expiresAt=" + expiresAt + "]";
  }
}
