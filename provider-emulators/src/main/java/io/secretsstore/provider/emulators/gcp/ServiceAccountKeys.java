// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service-account keys ({@code key.json}) and Google's OAuth token endpoint for them ({@code POST
 * /token}, grant {@code jwt-bearer}): the assertion must be signed (RS256) with a key this emulator
 * issued, name that key's account as issuer and Google's token endpoint (or this one) as audience,
 * and be unexpired. The token stands for {@code serviceAccount:EMAIL}.
 */
final class ServiceAccountKeys {
  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Decoder URL = Base64.getUrlDecoder();

  private record Issued(String email, PublicKey key) {}

  private final AccessTokens tokens;
  private final Map<String, Issued> keys = new ConcurrentHashMap<>();

  ServiceAccountKeys(AccessTokens tokens) {
    this.tokens = tokens;
  }

  /** A new key of an account, as the key.json text Google would give, with this token URI. */
  String create(String email, String project, String tokenUri) {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, new SecureRandom());
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA keys are not available", e);
    }
    byte[] id = new byte[20];
    new SecureRandom().nextBytes(id);
    String keyId = HexFormat.of().formatHex(id);
    keys.put(keyId, new Issued(email, pair.getPublic()));
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> file = new LinkedHashMap<>();
    file.put("type", "service_account");
    file.put("project_id", project);
    file.put("private_key_id", keyId);
    file.put("private_key", pem);
    file.put("client_email", email);
    file.put("client_id", "1" + keyId.substring(0, 20).replaceAll("[a-f]", "0"));
    file.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
    file.put("token_uri", tokenUri);
    try {
      return JSON.writeValueAsString(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  EmulatorResponse token(EmulatorRequest request) {
    if (!JWT_BEARER.equals(request.formParam("grant_type").orElse(""))) {
      return GcpErrors.oauth(400, "unsupported_grant_type", "Invalid grant_type.");
    }
    String[] parts = request.formParam("assertion").orElse("").split("\\.", -1);
    try {
      JsonNode header = JSON.readTree(URL.decode(parts[0]));
      JsonNode claims = JSON.readTree(URL.decode(parts[1]));
      Issued issued = keys.get(header.path("kid").asText(""));
      if (parts.length != 3 || issued == null || !"RS256".equals(header.path("alg").asText())) {
        return GcpErrors.oauth(400, "invalid_grant", "Invalid JWT Signature.");
      }
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(issued.key());
      verifier.update(
          (parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      if (!verifier.verify(URL.decode(parts[2]))) {
        return GcpErrors.oauth(400, "invalid_grant", "Invalid JWT Signature.");
      }
      if (!issued.email().equals(claims.path("iss").asText())) {
        return GcpErrors.oauth(
            400, "invalid_grant", "Invalid JWT: the issuer is not the key's account.");
      }
      // google-auth always names Google's endpoint as the audience, whatever the key's token_uri.
      String audience = claims.path("aud").asText();
      if (!audience.equals(request.uri().toString()) && !audience.equals(GOOGLE_TOKEN_URI)) {
        return GcpErrors.oauth(
            400, "invalid_grant", "Invalid JWT: the audience is not this token endpoint.");
      }
      if (claims.path("exp").asLong(0) <= Instant.now().getEpochSecond()) {
        return GcpErrors.oauth(
            400,
            "invalid_grant",
            "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("access_token", tokens.issue(IamCredentials.member(issued.email())));
      body.put("expires_in", tokens.lifetime().toSeconds());
      body.put("token_type", "Bearer");
      return EmulatorResponse.json(200, body);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return GcpErrors.oauth(400, "invalid_grant", "Invalid JWT.");
    }
  }
}
