// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.secretsstore.provider.emulators.EmulatorError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The emulator's stand-in for the Kubernetes API server's token signer: mints service-account JWTs
 * (ES256, the emulator's own key) and verifies them at login, as Vault's TokenReview would. Error
 * messages never quote the token.
 */
final class ServiceAccountTokens {
  /** The issuer a projected token of an in-cluster API server carries. */
  static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

  private static final String ALGORITHM = "ES256";
  // JWS wants the raw r||s pair, which is what this JDK signature name produces and expects.
  private static final String SIGNATURE = "SHA256withECDSAinP1363Format";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** What a verified token says about its holder. */
  record Claims(String namespace, String serviceAccount, String uid, List<String> audiences) {}

  private final KeyPair keys;
  private final String keyId = UUID.randomUUID().toString();

  ServiceAccountTokens() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), Envelope.RANDOM);
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 keys are not available", e);
    }
  }

  String mint(String namespace, String serviceAccount, String audience, Duration ttl) {
    Instant now = Instant.now();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", ALGORITHM);
    header.put("kid", keyId);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", List.of(audience == null ? ISSUER : audience));
    claims.put("exp", now.plus(ttl).getEpochSecond());
    claims.put("iat", now.getEpochSecond());
    claims.put("iss", ISSUER);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put(
        "kubernetes.io",
        Map.of("namespace", namespace, "serviceaccount", Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString())));
    claims.put("nbf", now.getEpochSecond());
    claims.put("sub", "system:serviceaccount:" + namespace + ":" + serviceAccount);
    String signingInput = encode(header) + "." + encode(claims);
    try {
      Signature signer = Signature.getInstance(SIGNATURE);
      signer.initSign(keys.getPrivate());
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + ENCODER.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a service account token", e);
    }
  }

  /** The claims of a token this emulator signed that has not expired; 403 otherwise. */
  Claims verify(String jwt) {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      throw denied("error validating token: malformed jwt");
    }
    JsonNode header = decode(parts[0]);
    if (!ALGORITHM.equals(header.path("alg").asText())) {
      throw denied("error validating token: unsupported signing algorithm");
    }
    if (!signatureValid(parts)) {
      throw denied("error validating token: failed to verify signature");
    }
    JsonNode claims = decode(parts[1]);
    if (!claims.path("exp").canConvertToLong() || claims.path("exp").asLong() <= Instant.now().getEpochSecond()) {
      throw denied("error validating token: token is expired");
    }
    JsonNode kubernetes = claims.path("kubernetes.io");
    String namespace = kubernetes.path("namespace").asText("");
    String serviceAccount = kubernetes.path("serviceaccount").path("name").asText("");
    if (namespace.isEmpty() || serviceAccount.isEmpty()) {
      throw denied("error validating token: not a service account token");
    }
    List<String> audiences = new ArrayList<>();
    JsonNode aud = claims.path("aud");
    if (aud.isArray()) {
      aud.forEach(a -> audiences.add(a.asText()));
    } else if (aud.isTextual()) {
      audiences.add(aud.asText());
    }
    return new Claims(namespace, serviceAccount, kubernetes.path("serviceaccount").path("uid").asText(""), audiences);
  }

  private boolean signatureValid(String[] parts) {
    try {
      Signature verifier = Signature.getInstance(SIGNATURE);
      verifier.initVerify(keys.getPublic());
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(DECODER.decode(parts[2]));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String encode(Map<String, Object> json) {
    try {
      return ENCODER.encodeToString(Envelope.JSON.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JWT part", e);
    }
  }

  private static JsonNode decode(String part) {
    try {
      JsonNode node = Envelope.JSON.readTree(DECODER.decode(part));
      if (node == null || !node.isObject()) {
        throw denied("error validating token: malformed jwt");
      }
      return node;
    } catch (IOException | IllegalArgumentException e) {
      throw denied("error validating token: malformed jwt");
    }
  }

  private static EmulatorError denied(String message) {
    return new EmulatorError(403, message);
  }
}
