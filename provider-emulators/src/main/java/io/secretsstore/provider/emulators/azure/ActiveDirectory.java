// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import io.secretsstore.provider.emulators.ServiceAccountJwts;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Microsoft Entra ID (AAD) as a confidential client sees it: the v2.0 token endpoint of each tenant
 * for the client-credentials grant, with a client secret or a client assertion. An assertion must
 * be a service-account token this emulator's issuer signed, for audience {@code
 * api://AzureADTokenExchange}, whose subject a federated credential of the application names.
 * Access tokens are opaque and remembered with their tenant, client and expiry. Thread-safe.
 */
final class ActiveDirectory {
  static final String EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
  private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An application registration: its optional secret and the subjects it federates. */
  private record Application(String secret, Set<String> subjects) {}

  /** What an access token stands for. */
  record Grant(String tenant, String clientId, String resource, Instant expiresAt) {}

  private final ServiceAccountJwts jwts;
  private final Map<String, Map<String, Application>> tenants = new ConcurrentHashMap<>();
  private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
  private volatile Duration lifetime = Duration.ofHours(1);

  ActiveDirectory(ServiceAccountJwts jwts) {
    this.jwts = jwts;
  }

  void addTenant(String tenant) {
    tenants.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
  }

  void addApplication(String tenant, String clientId, String secret, Set<String> subjects) {
    addTenant(tenant);
    tenants.get(tenant).put(clientId, new Application(secret, Set.copyOf(subjects)));
  }

  void tokenLifetime(Duration value) {
    lifetime = value;
  }

  /** The grant of a bearer token that has not expired. */
  Optional<Grant> grant(String accessToken) {
    Grant grant = tokens.get(accessToken);
    return grant != null && grant.expiresAt().isAfter(Instant.now())
        ? Optional.of(grant)
        : Optional.empty();
  }

  /** The access tokens issued and not forgotten. */
  java.util.List<String> issuedTokens() {
    return java.util.List.copyOf(tokens.keySet());
  }

  /** Forgets every issued token, as if they had all expired. */
  void revokeAll() {
    tokens.clear();
  }

  /** {@code POST /{tenant}/oauth2/v2.0/token}. */
  EmulatorResponse token(EmulatorRequest request) {
    String tenant = request.pathParam("tenant");
    Map<String, Application> applications = tenants.get(tenant);
    if (applications == null) {
      return error(400, "invalid_request", 90002, "Tenant '" + safe(tenant) + "' not found.");
    }
    if (!request.formParam("grant_type").filter("client_credentials"::equals).isPresent()) {
      return error(
          400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    String clientId = request.formParam("client_id").orElse("");
    Application application = applications.get(clientId);
    if (application == null) {
      return error(
          400,
          "unauthorized_client",
          700016,
          "Application with identifier '"
              + safe(clientId)
              + "' was not found in the directory '"
              + safe(tenant)
              + "'.");
    }
    // MSAL adds the reserved scopes (openid, profile, offline_access) beside the resource's.
    String scope =
        java.util.Arrays.stream(request.formParam("scope").orElse("").split(" "))
            .filter(s -> s.endsWith("/.default"))
            .findFirst()
            .orElse("");
    if (scope.isEmpty()) {
      return error(400, "invalid_scope", 1002012, "The provided value for scope is not valid.");
    }
    Optional<String> assertion = request.formParam("client_assertion");
    if (assertion.isPresent()) {
      if (!request.formParam("client_assertion_type").filter(JWT_BEARER::equals).isPresent()) {
        return error(400, "invalid_request", 50027, "Invalid client_assertion_type.");
      }
      ServiceAccountJwts.Claims claims;
      try {
        claims = jwts.verify(assertion.get());
      } catch (ServiceAccountJwts.InvalidToken e) {
        return e.reason() == ServiceAccountJwts.Reason.EXPIRED
            ? error(
                400,
                "invalid_client",
                700024,
                "Client assertion is not within its valid time range.")
            : error(401, "invalid_client", 700027, "Client assertion failed signature validation.");
      }
      if (!claims.audiences().contains(EXCHANGE_AUDIENCE)) {
        return error(
            400,
            "invalid_client",
            700212,
            "No matching federated identity record found for presented assertion audience.");
      }
      if (!application.subjects().contains(claims.subject())) {
        return error(
            400,
            "invalid_client",
            70021,
            "No matching federated identity record found for presented assertion.");
      }
    } else {
      String secret = request.formParam("client_secret").orElse("");
      if (application.secret() == null || !constantTimeEquals(application.secret(), secret)) {
        return error(401, "invalid_client", 7000215, "Invalid client secret provided.");
      }
    }
    return EmulatorResponse.json(
        200,
        accessTokenBody(
            issue(tenant, clientId, scope.substring(0, scope.length() - "/.default".length()))));
  }

  /** An issued access token and what it stands for. */
  record Issued(String accessToken, Grant grant, Duration ttl) {}

  /**
   * Issues an access token of an identity in a tenant for a resource, as every token source here
   * does.
   */
  Issued issue(String tenant, String clientId, String resource) {
    addTenant(tenant);
    String accessToken = "eyJ0eXAi." + HexFormat.of().formatHex(randomBytes(24));
    Duration ttl = lifetime;
    Grant grant = new Grant(tenant, clientId, resource, Instant.now().plus(ttl));
    tokens.put(accessToken, grant);
    return new Issued(accessToken, grant, ttl);
  }

  /** The v2.0 token endpoint's answer for an issued token. */
  static Map<String, Object> accessTokenBody(Issued issued) {
    long ttl = issued.ttl().toSeconds();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    body.put("expires_in", ttl);
    body.put("ext_expires_in", ttl);
    body.put("access_token", issued.accessToken());
    return body;
  }

  /** {@code GET /common/discovery/instance}: the instance metadata MSAL asks for. */
  EmulatorResponse discovery(EmulatorRequest request) {
    String host = request.baseUri().getRawAuthority();
    Map<String, Object> metadata =
        Map.of(
            "preferred_network", host, "preferred_cache", host, "aliases", java.util.List.of(host));
    return EmulatorResponse.json(
        200,
        Map.of(
            "tenant_discovery_endpoint",
            request.baseUri() + "/common/v2.0/.well-known/openid-configuration",
            "api-version",
            "1.1",
            "metadata",
            java.util.List.of(metadata)));
  }

  /** {@code GET /{tenant}/v2.0/.well-known/openid-configuration}. */
  EmulatorResponse openIdConfiguration(EmulatorRequest request) {
    String base = request.baseUri() + "/" + request.pathParam("tenant");
    return EmulatorResponse.json(
        200,
        Map.of(
            "token_endpoint", base + "/oauth2/v2.0/token",
            "authorization_endpoint", base + "/oauth2/v2.0/authorize",
            "issuer", base + "/v2.0"));
  }

  static EmulatorResponse error(int status, String error, int code, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", "AADSTS" + code + ": " + description);
    body.put("error_codes", java.util.List.of(code));
    body.put("timestamp", Instant.now().toString());
    return EmulatorResponse.json(status, body);
  }

  static String safe(String text) {
    return text.matches("[A-Za-z0-9._-]{1,64}") ? text : "(invalid)";
  }

  private static boolean constantTimeEquals(String a, String b) {
    return java.security.MessageDigest.isEqual(
        a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
