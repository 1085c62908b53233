// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON Web Key Key Vault returns for the public part of an RSA or EC key. */
final class Jwk {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private Jwk() {}

  static Map<String, Object> of(PublicKey key) {
    Map<String, Object> jwk = new LinkedHashMap<>();
    if (key instanceof RSAPublicKey rsa) {
      jwk.put("kty", "RSA");
      jwk.put("key_ops", List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"));
      jwk.put("n", URL.encodeToString(unsigned(rsa.getModulus(), 0)));
      jwk.put("e", URL.encodeToString(unsigned(rsa.getPublicExponent(), 0)));
    } else if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      int size = (bits + 7) / 8;
      jwk.put("kty", "EC");
      jwk.put("key_ops", List.of("sign", "verify"));
      jwk.put(
          "crv",
          switch (bits) {
            case 256 -> "P-256";
            case 384 -> "P-384";
            case 521 -> "P-521";
            default -> throw new IllegalArgumentException("unsupported curve size " + bits);
          });
      jwk.put("x", URL.encodeToString(unsigned(ec.getW().getAffineX(), size)));
      jwk.put("y", URL.encodeToString(unsigned(ec.getW().getAffineY(), size)));
    } else {
      throw new IllegalArgumentException("only RSA and EC keys: " + key.getAlgorithm());
    }
    return jwk;
  }

  /** Big-endian without a sign byte, left-padded to {@code size} bytes when size is positive. */
  private static byte[] unsigned(BigInteger value, int size) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (size > bytes.length) {
      byte[] padded = new byte[size];
      System.arraycopy(bytes, 0, padded, size - bytes.length, bytes.length);
      return padded;
    }
    return bytes;
  }
}
