// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import io.secretsstore.provider.emulators.ServiceAccountJwts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google's STS token exchange as the provider calls it (securetoken's {@code identitybindingtoken}
 * and sts.googleapis.com's {@code /v1/token} take the same request): a Kubernetes service-account
 * JWT with the workload identity pool as its audience, exchanged for a federated access token of
 * the member {@code
 * principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/subject/ns/NS/sa/SA}.
 * The request's {@code audience} must be one this emulator was told about, and the JWT must be
 * signed by its issuer and unexpired.
 */
final class TokenExchange {
  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
  static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

  private final ServiceAccountJwts jwts;
  private final AccessTokens tokens;
  private final String projectNumber;

  /** Exchange audience -> the workload identity pool its subject tokens are for. */
  private final Map<String, String> audiences = new ConcurrentHashMap<>();

  TokenExchange(ServiceAccountJwts jwts, AccessTokens tokens, String projectNumber) {
    this.jwts = jwts;
    this.tokens = tokens;
    this.projectNumber = projectNumber;
  }

  void acceptAudience(String audience, String pool) {
    audiences.put(audience, pool);
  }

  /** The member a federated token of a Kubernetes service account stands for. */
  String member(String pool, String namespace, String serviceAccount) {
    return "principal://iam.googleapis.com/projects/"
        + projectNumber
        + "/locations/global/workloadIdentityPools/"
        + pool
        + "/subject/ns/"
        + namespace
        + "/sa/"
        + serviceAccount;
  }

  EmulatorResponse exchange(EmulatorRequest request) {
    Map<String, String> form = fields(request);
    if (!GRANT_TYPE.equals(form.get("grant_type"))) {
      return GcpErrors.oauth(400, "unsupported_grant_type", "Invalid value for \"grant_type\".");
    }
    if (!JWT.equals(form.get("subject_token_type"))) {
      return GcpErrors.oauth(400, "invalid_request", "Invalid value for \"subject_token_type\".");
    }
    String pool = audiences.get(form.getOrDefault("audience", ""));
    if (pool == null) {
      return GcpErrors.oauth(
          400,
          "invalid_target",
          "The target service indicated by the \"audience\" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn't exist.");
    }
    ServiceAccountJwts.Claims claims;
    try {
      claims = jwts.verify(form.getOrDefault("subject_token", ""));
    } catch (ServiceAccountJwts.InvalidToken e) {
      return GcpErrors.oauth(
          400,
          "invalid_grant",
          e.reason() == ServiceAccountJwts.Reason.EXPIRED
              ? "The access token has expired."
              : "The provided subject token is invalid (" + e.reason() + ").");
    }
    if (!claims.audiences().contains(pool) && !claims.audiences().contains(form.get("audience"))) {
      return GcpErrors.oauth(
          400,
          "invalid_grant",
          "The audience in the subject token does not match the workload identity pool.");
    }
    if (claims.namespace().isEmpty() || claims.serviceAccount().isEmpty()) {
      return GcpErrors.oauth(
          400, "invalid_grant", "The subject token is not a Kubernetes service account token.");
    }
    String token = tokens.issue(member(pool, claims.namespace(), claims.serviceAccount()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token);
    body.put("issued_token_type", ACCESS_TOKEN);
    body.put("token_type", "Bearer");
    body.put("expires_in", tokens.lifetime().toSeconds());
    return EmulatorResponse.json(200, body);
  }

  /**
   * The request's fields from JSON (as the provider sends them) or a form (as google-auth does).
   */
  private static Map<String, String> fields(EmulatorRequest request) {
    Map<String, String> fields = new LinkedHashMap<>();
    boolean json =
        request.header("Content-Type").map(t -> t.startsWith("application/json")).orElse(false);
    if (json) {
      JsonNode body = request.json();
      body.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
    } else {
      request.form().forEach((k, v) -> fields.put(k, v.isEmpty() ? "" : v.get(0)));
    }
    return fields;
  }
}
