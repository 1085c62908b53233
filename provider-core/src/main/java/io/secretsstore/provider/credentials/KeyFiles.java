// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads a key an operator supplies as a file (a mounted Secret key, or a file for local use):
 * base64 text of the key, or the raw bytes. Used where a key would otherwise come from a Kubernetes
 * Secret (HMAC keys for versions and fingerprints).
 */
public final class KeyFiles {
  /** 256 bits: HMAC-SHA256 gains nothing from more and loses strength with less. */
  public static final int MIN_BYTES = 32;

  private KeyFiles() {}

  /**
   * The key in a file.
   *
   * @param flag the flag that named the file, for the error message
   * @throws IllegalArgumentException when the key is shorter than {@link #MIN_BYTES}; the message
   *     never quotes the file's content
   */
  public static byte[] read(Path file, String flag) throws IOException {
    byte[] raw = Files.readAllBytes(file);
    try {
      byte[] decoded =
          Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).strip());
      if (decoded.length >= MIN_BYTES) {
        return decoded;
      }
    } catch (IllegalArgumentException notBase64) {
      // Raw key bytes.
    }
    if (raw.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          flag + " must hold at least " + MIN_BYTES + " bytes (or their base64)");
    }
    return raw;
  }
}
