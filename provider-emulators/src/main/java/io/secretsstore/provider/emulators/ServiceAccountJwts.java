// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stand-in for a Kubernetes service-account token issuer, shared by the cloud emulators: mints
 * projected-token-shaped JWTs (RS256 with a 2048-bit RSA key of this instance, as the API server
 * signs by default and as the EKS OIDC issuer publishes its keys) and verifies them as the clouds
 * do (signature, expiry), returning the claims for the cloud's own checks (audience, subject,
 * issuer). Failures carry a reason, never the token, so each emulator answers in its cloud's
 * format.
 */
public final class ServiceAccountJwts {
  private static final String ALGORITHM = "RS256";
  private static final String SIGNATURE = "SHA256withRSA";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String issuer;
  private final KeyPair keys;
  private final String keyId = UUID.randomUUID().toString();

  /** An issuer with a fresh RSA key; {@code issuer} goes into the {@code iss} claim. */
  public ServiceAccountJwts(String issuer) {
    this.issuer = issuer;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, new SecureRandom());
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA keys are not available", e);
    }
  }

  public String issuer() {
    return issuer;
  }

  /**
   * What a verified token says.
   *
   * @param issuer the {@code iss} claim
   * @param subject the {@code sub} claim, {@code system:serviceaccount:<ns>:<sa>}
   * @param namespace the {@code kubernetes.io} namespace, empty if absent
   * @param serviceAccount the {@code kubernetes.io} service account name, empty if absent
   * @param uid the service account's uid, empty if absent
   * @param audiences the {@code aud} claim
   */
  public record Claims(
      String issuer,
      String subject,
      String namespace,
      String serviceAccount,
      String uid,
      List<String> audiences) {}

  /** Why a token was refused. */
  public enum Reason {
    MALFORMED,
    UNSUPPORTED_ALGORITHM,
    BAD_SIGNATURE,
    EXPIRED
  }

  /** A refused token; the message is the reason's name, never the token. */
  public static final class InvalidToken extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    InvalidToken(Reason reason) {
      super(reason.name(), null, false, false);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  /**
   * A token as the API server would project it for a pod's service account.
   *
   * @param audience the audience, or null for the issuer's own (the API server's default)
   * @param ttl its lifetime; zero or negative gives an already expired token, for tests
   */
  public String mint(String namespace, String serviceAccount, String audience, Duration ttl) {
    Instant now = Instant.now();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", ALGORITHM);
    header.put("kid", keyId);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", List.of(audience == null ? issuer : audience));
    claims.put("exp", now.plus(ttl).getEpochSecond());
    claims.put("iat", now.getEpochSecond());
    claims.put("iss", issuer);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put(
        "kubernetes.io",
        Map.of(
            "namespace",
            namespace,
            "serviceaccount",
            Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString())));
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

  /**
   * The claims of a token this issuer signed and that has not expired.
   *
   * @throws InvalidToken with the reason otherwise
   */
  public Claims verify(String jwt) {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidToken(Reason.MALFORMED);
    }
    JsonNode header = decode(parts[0]);
    if (!ALGORITHM.equals(header.path("alg").asText())) {
      throw new InvalidToken(Reason.UNSUPPORTED_ALGORITHM);
    }
    if (!signatureValid(parts)) {
      throw new InvalidToken(Reason.BAD_SIGNATURE);
    }
    JsonNode claims = decode(parts[1]);
    if (!claims.path("exp").canConvertToLong()
        || claims.path("exp").asLong() <= Instant.now().getEpochSecond()) {
      throw new InvalidToken(Reason.EXPIRED);
    }
    List<String> audiences = new ArrayList<>();
    JsonNode aud = claims.path("aud");
    if (aud.isArray()) {
      aud.forEach(a -> audiences.add(a.asText()));
    } else if (aud.isTextual()) {
      audiences.add(aud.asText());
    }
    JsonNode kubernetes = claims.path("kubernetes.io");
    return new Claims(
        claims.path("iss").asText(""),
        claims.path("sub").asText(""),
        kubernetes.path("namespace").asText(""),
        kubernetes.path("serviceaccount").path("name").asText(""),
        kubernetes.path("serviceaccount").path("uid").asText(""),
        audiences);
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
      return ENCODER.encodeToString(JSON.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JWT part", e);
    }
  }

  private static JsonNode decode(String part) {
    try {
      JsonNode node = JSON.readTree(DECODER.decode(part));
      if (node == null || !node.isObject()) {
        throw new InvalidToken(Reason.MALFORMED);
      }
      return node;
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidToken(Reason.MALFORMED);
    }
  }
}
