// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code status.syncHash}: a keyed HMAC-SHA256 over everything a sync writes and everything that
 * should force one (the Secret's type, data, labels and annotations; the SecretProviderClass UID
 * and generation; the SecretSync UID and generation; {@code forceSynchronization}). Anyone who can
 * read the SecretSync sees the hash, so it must not let them test guesses of the data: a plain hash
 * would. The key is derived from the cluster's shared fingerprint key, so every controller replica
 * computes the same hash and a failover does not rewrite every Secret.
 */
public final class SyncHash {
  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec key;

  /**
   * @param sharedKey the cluster's fingerprint key (at least 32 bytes)
   */
  public SyncHash(byte[] sharedKey) {
    if (sharedKey.length < 32) {
      throw new IllegalArgumentException("the sync hash key must be at least 32 bytes");
    }
    // A key of its own (HMAC of a label), so a sync hash never equals an audit fingerprint.
    this.key =
        new SecretKeySpec(
            hmac(
                new SecretKeySpec(sharedKey, ALGORITHM),
                "secret-sync-hash/v1".getBytes(StandardCharsets.UTF_8)),
            ALGORITHM);
  }

  /** What the hash covers besides the data. */
  public record Inputs(SecretSyncSpec sync, String spcUid, long spcGeneration) {}

  /** The hash, {@code hmac-sha256:} and base64url. */
  public String of(Inputs inputs, SecretData data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      SecretSyncSpec sync = inputs.sync();
      field(mac, sync.secretType());
      for (Map.Entry<String, byte[]> entry : data.asMap().entrySet()) {
        field(mac, entry.getKey());
        field(mac, entry.getValue());
      }
      map(mac, sync.labels());
      map(mac, sync.annotations());
      field(mac, inputs.spcUid());
      field(mac, Long.toString(inputs.spcGeneration()));
      field(mac, sync.uid());
      field(mac, Long.toString(sync.generation()));
      field(mac, sync.forceSynchronization());
      return "hmac-sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private static void map(Mac mac, Map<String, String> values) {
    field(mac, Integer.toString(values.size()));
    new TreeMap<>(values)
        .forEach(
            (k, v) -> {
              field(mac, k);
              field(mac, v);
            });
  }

  private static void field(Mac mac, String value) {
    field(mac, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
  }

  /** Length-prefixed, so no two different inputs concatenate to the same bytes. */
  private static void field(Mac mac, byte[] value) {
    mac.update(ByteBuffer.allocate(Long.BYTES).putLong(value.length).array());
    mac.update(value);
  }

  private static byte[] hmac(SecretKeySpec key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "SyncHash[key=<redacted>]";
  }
}
