// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretsstore.provider.emulators.EmulatorError;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kubernetes auth (and JWT auth, which the provider calls the same way): roles per namespace and
 * auth mount, and {@code auth/<mount>/login} checking the service-account JWT against a role in the
 * order Vault does. Denials are 403 with Vault's messages; none quotes the JWT.
 */
final class KubernetesAuth {
  private final Map<String, Map<String, VaultRole>> roles = new ConcurrentHashMap<>();
  private final ServiceAccountTokens serviceAccounts;
  private final Tokens tokens;
  final AtomicInteger logins = new AtomicInteger();

  KubernetesAuth(ServiceAccountTokens serviceAccounts, Tokens tokens) {
    this.serviceAccounts = serviceAccounts;
    this.tokens = tokens;
  }

  void addRole(String namespace, String authMount, VaultRole role) {
    roles
        .computeIfAbsent(
            key(namespace, Mounts.trimSlashes(authMount)), k -> new ConcurrentHashMap<>())
        .put(role.name(), role);
  }

  EmulatorResponse login(String namespace, String authMount, EmulatorRequest request) {
    Map<String, VaultRole> mountRoles = roles.get(key(namespace, authMount));
    if (mountRoles == null) {
      // No such auth mount: Vault sees an ordinary path and, without a token, denies it.
      throw new EmulatorError(403, VaultErrors.PERMISSION_DENIED);
    }
    JsonNode body = request.json();
    String roleName = body.path("role").asText("");
    String jwt = body.path("jwt").asText("");
    if (roleName.isEmpty()) {
      throw new EmulatorError(400, "missing role");
    }
    if (jwt.isEmpty()) {
      throw new EmulatorError(400, "missing jwt");
    }
    VaultRole role = mountRoles.get(roleName);
    if (role == null) {
      throw new EmulatorError(403, "invalid role name \"" + roleName + "\"");
    }
    ServiceAccountTokens.Claims claims = serviceAccounts.verify(jwt);
    if (role.audience() != null && !claims.audiences().contains(role.audience())) {
      throw new EmulatorError(
          403, "invalid audience (aud) claim: audience claim does not match any expected audience");
    }
    if (!VaultRole.matchesGlob(role.boundServiceAccountNames(), claims.serviceAccount())) {
      throw new EmulatorError(403, "service account name not authorized");
    }
    if (!VaultRole.matchesGlob(role.boundServiceAccountNamespaces(), claims.namespace())) {
      throw new EmulatorError(403, "namespace not authorized");
    }
    Tokens.Token token = tokens.issue(namespace, role, Tokens.newEntityId());
    logins.incrementAndGet();
    return Envelope.auth(auth(token, role, claims));
  }

  private static Map<String, Object> auth(
      Tokens.Token token, VaultRole role, ServiceAccountTokens.Claims claims) {
    List<String> policies = List.of("default", role.name());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("role", role.name());
    metadata.put("service_account_name", claims.serviceAccount());
    metadata.put("service_account_namespace", claims.namespace());
    metadata.put("service_account_secret_name", "");
    metadata.put("service_account_uid", claims.uid());
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("client_token", token.id());
    auth.put("accessor", token.accessor());
    auth.put("policies", policies);
    auth.put("token_policies", policies);
    auth.put("metadata", metadata);
    auth.put("lease_duration", role.tokenTtl().toSeconds());
    auth.put("renewable", true);
    auth.put("entity_id", token.entityId());
    auth.put("token_type", "service");
    auth.put("orphan", true);
    auth.put("mfa_requirement", null);
    auth.put("num_uses", 0);
    return auth;
  }

  private static String key(String namespace, String authMount) {
    return namespace + "\u0000" + authMount;
  }
}
