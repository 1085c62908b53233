// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Object versions as upstream computes them: {@code base64url(HMAC-SHA256(key, json(config) ||
 * content))}, padded, with the 32-byte key from the cluster-wide Secret. The config goes in so two
 * objects holding the same value do not show the same version; the key stops anyone who can read
 * pod status from guessing weak values. The key is fetched once and kept in memory: it is
 * immutable, and upstream's read per mount costs the API server for nothing.
 */
final class VersionHmac {
  static final int KEY_BYTES = 32;

  private final Supplier<byte[]> keySource;
  private volatile byte[] key;

  /**
   * @param keySource reads or creates the key; called until it succeeds once
   */
  VersionHmac(Supplier<byte[]> keySource) {
    this.keySource = keySource;
  }

  /** 32 random bytes for a new key. */
  static byte[] newKey() {
    byte[] bytes = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  String version(SecretConfig config, byte[] content) {
    byte[] secret = key();
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(config.goJson());
      mac.update(content);
      return Base64.getUrlEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw ProviderException.of(ErrorKind.INTERNAL, "HMAC-SHA256 is not available", e);
    }
  }

  private byte[] key() {
    byte[] current = key;
    if (current == null) {
      synchronized (this) {
        current = key;
        if (current == null) {
          current = keySource.get();
          if (current.length == 0) {
            throw ProviderException.of(
                ErrorKind.FAILED_PRECONDITION,
                "the HMAC key Secret holds an empty key; delete it so the provider regenerates it");
          }
          key = current;
        }
      }
    }
    return current;
  }
}
