// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

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

  @Override
  public String toString() {
    return "VaultToken[value=<redacted>, leaseSeconds=" + leaseSeconds + "]";
  }
}
