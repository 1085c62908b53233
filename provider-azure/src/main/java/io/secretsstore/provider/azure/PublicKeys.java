// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyCurveName;
import com.azure.security.keyvault.keys.models.KeyType;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Map;

/**
 * The public part of a Key Vault key as a PKIX {@code SubjectPublicKeyInfo}, which upstream writes
 * as {@code PUBLIC KEY} PEM: RSA and RSA-HSM, EC and EC-HSM on P-256, P-384 and P-521. Symmetric
 * keys and P-256K fail, as upstream.
 */
final class PublicKeys {
  private static final Map<String, String> CURVES =
      Map.of(
          KeyCurveName.P_256.toString(),
          "secp256r1",
          KeyCurveName.P_384.toString(),
          "secp384r1",
          KeyCurveName.P_521.toString(),
          "secp521r1");

  private PublicKeys() {}

  static byte[] der(JsonWebKey jwk, String context) {
    KeyType type = jwk.getKeyType();
    try {
      if (KeyType.RSA.equals(type) || KeyType.RSA_HSM.equals(type)) {
        return KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(new BigInteger(1, jwk.getN()), new BigInteger(1, jwk.getE())))
            .getEncoded();
      }
      if (KeyType.EC.equals(type) || KeyType.EC_HSM.equals(type)) {
        String curve =
            jwk.getCurveName() == null ? null : CURVES.get(jwk.getCurveName().toString());
        if (curve == null) {
          throw ProviderException.of(
              ErrorKind.FAILED_PRECONDITION,
              context
                  + ": unsupported key curve "
                  + (jwk.getCurveName() == null ? "(none)" : jwk.getCurveName().toString()));
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(curve));
        ECPoint point = new ECPoint(new BigInteger(1, jwk.getX()), new BigInteger(1, jwk.getY()));
        return KeyFactory.getInstance("EC")
            .generatePublic(
                new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)))
            .getEncoded();
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof ProviderException provider) {
        throw provider;
      }
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION, context + ": the key is not a valid public key");
    }
    throw ProviderException.of(
        ErrorKind.FAILED_PRECONDITION,
        context + ": unsupported key type " + (type == null ? "(none)" : type.toString()));
  }
}
