// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * What upstream writes for one object from a Vault response: the whole response as JSON when no
 * {@code secretKey} is given, otherwise the key's value (from {@code data.data} when that is a map,
 * as KV v2 nests it), strings raw and anything else as JSON, then decoded per {@code encoding}.
 * Errors name the key, never a value.
 */
final class SecretContent {
  private SecretContent() {}

  /**
   * Whether upstream's decodeValue accepts the encoding (case-insensitively, empty meaning utf-8).
   */
  static boolean knownEncoding(String encoding) {
    String lower = encoding.toLowerCase(Locale.ROOT);
    return lower.isEmpty()
        || lower.equals("utf-8")
        || lower.equals("base64")
        || lower.equals("hex");
  }

  static byte[] render(VaultSecret secret, SecretConfig config) {
    if (secret.data() == null) {
      throw ProviderException.of(
          ErrorKind.NOT_FOUND, "empty response from Vault for the object's secretPath");
    }
    if (config.secretKey().isEmpty()) {
      return secret.goJson();
    }
    return decode(
        extract(secret.data(), config.secretKey()), config.encoding(), config.secretKey());
  }

  private static byte[] extract(Map<String, Object> root, String key) {
    Map<?, ?> data = root.get("data") instanceof Map<?, ?> nested ? nested : root;
    if (!data.containsKey(key)) {
      throw ProviderException.of(
          ErrorKind.NOT_FOUND, "key " + quoted(key) + " does not exist at the secret path");
    }
    Object value = data.get(key);
    if (value instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    return GoJsonEncoder.encode(value);
  }

  private static byte[] decode(byte[] value, String encoding, String key) {
    String lower = encoding.toLowerCase(Locale.ROOT);
    if (lower.isEmpty() || lower.equals("utf-8")) {
      return value;
    }
    String text = new String(value, StandardCharsets.UTF_8);
    try {
      if (lower.equals("base64")) {
        // Go's base64 decoder skips carriage returns and newlines.
        String clean = text.replace("\r", "").replace("\n", "");
        if (clean.length() % 4 != 0) {
          // Go's StdEncoding requires padding; the JDK decoder would accept this.
          throw new IllegalArgumentException("unpadded");
        }
        return Base64.getDecoder().decode(clean);
      }
      if (lower.equals("hex")) {
        return HexFormat.of().parseHex(text);
      }
    } catch (IllegalArgumentException e) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          "the value of key " + quoted(key) + " is not valid " + lower);
    }
    throw ProviderException.invalidArgument(
        "invalid encoding type. Should be utf-8, base64, or hex");
  }

  private static String quoted(String key) {
    return SafeText.isPlainName(key) ? "\"" + key + "\"" : "(secretKey)";
  }
}
