// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A private key from a PKCS#12 file re-encoded as upstream writes it: Go's {@code
 * x509.MarshalPKCS8PrivateKey} of the parsed key, which is also what OpenSSL writes. A file's own
 * PKCS#8 encoding may differ (the JDK and .NET omit the EC public key, some tools add attributes),
 * so the bytes are rebuilt rather than copied:
 *
 * <ul>
 *   <li>EC on a named curve: algorithm {@code id-ecPublicKey} with the curve, and an ECPrivateKey
 *       of version 1, the private scalar padded to the curve order's length, no parameters, and the
 *       uncompressed public point (computed from the scalar, as Go's marshalling does);
 *   <li>RSA: algorithm {@code rsaEncryption} with NULL parameters and the PKCS#1 key, no
 *       attributes.
 * </ul>
 *
 * Other keys are written as the file holds them.
 */
final class Pkcs8Keys {
  private Pkcs8Keys() {}

  /** The DER of the key as upstream writes it; {@code encoded} when it is of another kind. */
  static byte[] asUpstream(byte[] encoded) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(encoded);
    ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)
        && info.getPrivateKeyAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve) {
      X9ECParameters parameters = ECNamedCurveTable.getByOID(curve);
      if (parameters == null) {
        return encoded;
      }
      BigInteger scalar = ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
      DERBitString publicKey =
          new DERBitString(parameters.getG().multiply(scalar).normalize().getEncoded(false));
      ECPrivateKey key = new ECPrivateKey(parameters.getN().bitLength(), scalar, publicKey, null);
      return new PrivateKeyInfo(
              new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), key)
          .getEncoded(ASN1Encoding.DER);
    }
    if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      RSAPrivateKey key = RSAPrivateKey.getInstance(info.parsePrivateKey());
      return new PrivateKeyInfo(
              new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), key)
          .getEncoded(ASN1Encoding.DER);
    }
    return encoded;
  }
}
