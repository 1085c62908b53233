// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.spi.FetchedObject;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed fingerprints of secret payloads: HMAC-SHA256 over the length-prefixed contents of each
 * file. With one key shared by every provider of a cluster, equal fingerprints mean equal values,
 * so reuse of one secret under several names, namespaces or backends shows up in the audit trail
 * without revealing the value; without the key a fingerprint cannot be tested against a guessed
 * value, unlike a plain hash.
 */
public final class PayloadFingerprints {
  private static final String ALGORITHM = "HmacSHA256";

  /**
   * Fingerprints of the objects served lately, by identity: a republish serves the cache's own
   * object again, so its HMAC is computed once per fetched version, not once per Mount (a tenth of
   * a cached Mount's CPU before). Weak keys: an object the cache dropped leaves on its own.
   */
  static final int REMEMBERED = 4096;

  private final SecretKeySpec key;
  private final Cache<FetchedObject, String> remembered =
      Caffeine.newBuilder().weakKeys().maximumSize(REMEMBERED).executor(Runnable::run).build();

  public PayloadFingerprints(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the fingerprint key must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
  }

  /** A fresh random 32-byte key, for a cluster Secret that does not exist yet. */
  public static byte[] newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /**
   * The fingerprint of an object's contents: {@code hmac-sha256:} and 22 base64url characters (128
   * bits, plenty to tell values apart). Paths are left out so a value renamed keeps its
   * fingerprint.
   */
  public String of(FetchedObject object) {
    return remembered.get(object, this::compute);
  }

  private String compute(FetchedObject object) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      for (FetchedFile file : object.files()) {
        byte[] contents = file.contents();
        mac.update(ByteBuffer.allocate(Long.BYTES).putLong(contents.length).array());
        mac.update(contents);
      }
      byte[] digest = mac.doFinal();
      return "hmac-sha256:"
          + Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(java.util.Arrays.copyOf(digest, 16));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "PayloadFingerprints[key=<redacted>]";
  }
}
