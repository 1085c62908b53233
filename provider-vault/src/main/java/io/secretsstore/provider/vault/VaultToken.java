// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.util.Map;
import java.util.Objects;

/**
 * A Vault client token from a login. A credential: {@link #toString()} never shows it.
 *
 * @param value the token
 * @param leaseSeconds its TTL, 0 when Vault gave none
 */
record VaultToken(String value, long leaseSeconds) {
  VaultToken {
    Objects.requireNonNull(value, "value");
  }

  /** The token in a login answer's {@code auth.client_token}, with {@code auth.lease_duration}. */
  static VaultToken fromLoginAnswer(byte[] body) {
    Object parsed = VaultJson.parse(body).orElse(null);
    if (!(parsed instanceof Map<?, ?> answer)
        || !(answer.get("auth") instanceof Map<?, ?> auth)
        || !(auth.get("client_token") instanceof String token)
        || token.isEmpty()) {
      throw ProviderException.of(ErrorKind.PERMISSION_DENIED, "Vault's login answer held no token");
    }
    long lease = 0;
    if (auth.get("lease_duration") instanceof GoJsonEncoder.RawNumber number) {
      try {
        lease = Math.max(0, Long.parseLong(number.literal()));
      } catch (NumberFormatException e) {
        lease = 0;
      }
    }
    return new VaultToken(token, lease);
  }

  @Override
  public String toString() {
    return "VaultToken[value=<redacted>, leaseSeconds=" + leaseSeconds + "]";
  }
}
