// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import io.secretsstore.provider.emulators.ServiceAccountJwts;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The AKS identity-binding token proxy. azidentity (with {@code EnableAzureProxy}) sends the
 * ordinary client-credentials request of a client assertion, {@code POST
 * /{tenant}/oauth2/v2.0/token}, to the proxy's URL instead of Entra ID, over TLS with a
 * cluster-specific SNI name; the assertion is the pod's service-account token for audience {@code
 * api://AKSIdentityBinding}. The proxy checks the token and that an identity binding maps its
 * service account to the requested client id (a managed identity), and answers with an Entra ID
 * access token in the v2.0 format. Thread-safe.
 */
final class IdentityBindingProxy {
  static final String AUDIENCE = "api://AKSIdentityBinding";
  private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  /** A managed identity's binding: its tenant and the service-account subjects bound to it. */
  private record Binding(String tenant, Set<String> subjects) {}

  private final ServiceAccountJwts jwts;
  private final ActiveDirectory directory;
  private final Map<String, Binding> bindings = new ConcurrentHashMap<>();

  IdentityBindingProxy(ServiceAccountJwts jwts, ActiveDirectory directory) {
    this.jwts = jwts;
    this.directory = directory;
  }

  void bind(String tenant, String clientId, Set<String> subjects) {
    bindings.put(clientId, new Binding(tenant, Set.copyOf(subjects)));
  }

  /** {@code POST /{tenant}/oauth2/v2.0/token} on the proxy. */
  EmulatorResponse token(EmulatorRequest request) {
    String tenant = request.pathParam("tenant");
    if (!request.formParam("grant_type").filter("client_credentials"::equals).isPresent()) {
      return ActiveDirectory.error(
          400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    String clientId = request.formParam("client_id").orElse("");
    Binding binding = bindings.get(clientId);
    if (binding == null || !binding.tenant().equals(tenant)) {
      return ActiveDirectory.error(
          400,
          "unauthorized_client",
          700016,
          "Application with identifier '"
              + ActiveDirectory.safe(clientId)
              + "' was not found in the directory '"
              + ActiveDirectory.safe(tenant)
              + "'.");
    }
    String scope =
        Arrays.stream(request.formParam("scope").orElse("").split(" "))
            .filter(s -> s.endsWith("/.default"))
            .findFirst()
            .orElse("");
    if (scope.isEmpty()) {
      return ActiveDirectory.error(
          400, "invalid_scope", 1002012, "The provided value for scope is not valid.");
    }
    Optional<String> assertion = request.formParam("client_assertion");
    if (assertion.isEmpty()
        || !request.formParam("client_assertion_type").filter(JWT_BEARER::equals).isPresent()) {
      return ActiveDirectory.error(
          400, "invalid_request", 50027, "The identity binding proxy needs a client assertion.");
    }
    ServiceAccountJwts.Claims claims;
    try {
      claims = jwts.verify(assertion.get());
    } catch (ServiceAccountJwts.InvalidToken e) {
      return e.reason() == ServiceAccountJwts.Reason.EXPIRED
          ? ActiveDirectory.error(
              400, "invalid_client", 700024, "Client assertion is not within its valid time range.")
          : ActiveDirectory.error(
              401, "invalid_client", 700027, "Client assertion failed signature validation.");
    }
    if (!claims.audiences().contains(AUDIENCE)) {
      return ActiveDirectory.error(
          400, "invalid_client", 700212, "The assertion's audience is not " + AUDIENCE + ".");
    }
    if (!binding.subjects().contains(claims.subject())) {
      return ActiveDirectory.error(
          400,
          "invalid_client",
          70021,
          "No identity binding maps the service account to the identity.");
    }
    String resource = scope.substring(0, scope.length() - "/.default".length());
    return EmulatorResponse.json(
        200, ActiveDirectory.accessTokenBody(directory.issue(tenant, clientId, resource)));
  }
}
