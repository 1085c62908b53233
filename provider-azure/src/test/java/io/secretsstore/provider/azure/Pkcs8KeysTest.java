// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.azure.CertificateChain;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Keys from a PKCS#12 file are written with the bytes Go's MarshalPKCS8PrivateKey (and OpenSSL)
 * write.
 */
class Pkcs8KeysTest {
  private static byte[] writtenKey(CertificateChain chain) {
    String pem =
        CertificateOutput.fromPkcs12(chain.pkcs12(chain.certificates()), true, "test").keys();
    String body =
        pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  @Test
  void anEcKeyCarriesItsPublicPointAndNoParametersInsideAsGoWritesIt() {
    CertificateChain chain = CertificateChain.generate("ec.example.com", "EC", 0);
    byte[] d = fixed(((ECPrivateKey) chain.key()).getS(), 32);
    ECPublicKey pub = (ECPublicKey) chain.leaf().getPublicKey();
    // The DER spelled out: PrivateKeyInfo{0, {id-ecPublicKey, prime256v1}, OCTET STRING
    // ECPrivateKey{1, d, [1] point}},
    // the layout `openssl pkcs8 -topk8 -nocrypt` prints for a P-256 key (OpenSSL 3.0.19, checked by
    // asn1parse).
    byte[] expected =
        concat(
            hex(
                "308187"
                    + "020100"
                    + "3013"
                    + "06072a8648ce3d0201"
                    + "06082a8648ce3d030107"
                    + "046d"
                    + "306b"
                    + "020101"
                    + "0420"),
            d,
            hex("a144" + "034200" + "04"),
            fixed(pub.getW().getAffineX(), 32),
            fixed(pub.getW().getAffineY(), 32));
    assertThat(HexFormat.of().formatHex(writtenKey(chain)))
        .isEqualTo(HexFormat.of().formatHex(expected));
    // The JDK's own encoding, which the PKCS#12 file holds, lacks the public point: it differs.
    assertThat(chain.key().getEncoded()).isNotEqualTo(expected);
  }

  @Test
  void anRsaKeyIsThePkcs1KeyWithNullParameters() {
    CertificateChain chain = CertificateChain.generate("rsa.example.com", "RSA", 0);
    assertThat(writtenKey(chain)).isEqualTo(chain.key().getEncoded());
  }

  private static byte[] fixed(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(bytes.length, length);
    System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
    return out;
  }

  private static byte[] hex(String text) {
    return HexFormat.of().parseHex(text);
  }

  private static byte[] concat(byte[]... parts) {
    byte[] out = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
