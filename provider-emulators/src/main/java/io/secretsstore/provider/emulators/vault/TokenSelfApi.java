// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import io.secretsstore.provider.emulators.EmulatorServer;
import io.secretsstore.provider.emulators.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client may ask about its own token and about the server, beyond the provider's contract:
 * {@code sys/health} (no token, as in Vault), {@code auth/token/lookup-self} and {@code
 * auth/token/renew-self} (any live token: Vault's default policy grants both).
 */
final class TokenSelfApi {
  static final String HEALTH = "vault.health";
  static final String LOOKUP = "vault.token.lookup";
  static final String RENEW = "vault.token.renew";

  private final Tokens tokens;

  TokenSelfApi(Tokens tokens) {
    this.tokens = tokens;
  }

  /** Registers before the generic read and write routes, which would otherwise take these paths. */
  void register(EmulatorServer server) {
    server.route(
        Route.of("GET", "/v1/sys/health", HEALTH).resource(VaultApi::apiPath), request -> health());
    server.route(
        Route.of("GET", "/v1/auth/token/lookup-self", LOOKUP).resource(VaultApi::apiPath),
        this::lookup);
    for (String method : List.of("POST", "PUT")) {
      server.route(
          Route.of(method, "/v1/auth/token/renew-self", RENEW).resource(VaultApi::apiPath),
          this::renew);
    }
  }

  private static EmulatorResponse health() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("initialized", true);
    body.put("sealed", false);
    body.put("standby", false);
    body.put("performance_standby", false);
    body.put("replication_performance_mode", "disabled");
    body.put("replication_dr_mode", "disabled");
    body.put("server_time_utc", Instant.now().getEpochSecond());
    body.put("version", "1.17.0+emulator");
    body.put("cluster_name", "vault-emulator");
    body.put("cluster_id", "00000000-0000-0000-0000-000000000000");
    return EmulatorResponse.json(200, body);
  }

  private EmulatorResponse lookup(EmulatorRequest request) {
    String namespace = VaultApi.namespace(request);
    Tokens.Token token = tokens.require(request, namespace);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("accessor", token.accessor());
    data.put("entity_id", token.entityId());
    data.put("expire_time", token.expiry().toString());
    data.put("id", token.id());
    data.put("namespace_path", namespace.isEmpty() ? "" : namespace + "/");
    data.put("orphan", true);
    data.put("policies", List.of("default", token.role().name()));
    data.put("renewable", true);
    data.put("ttl", Math.max(0, Duration.between(Instant.now(), token.expiry()).toSeconds()));
    data.put("type", "service");
    return Envelope.secret(data, "", 0, false);
  }

  private EmulatorResponse renew(EmulatorRequest request) {
    String namespace = VaultApi.namespace(request);
    Tokens.Token token = tokens.require(request, namespace);
    JsonNode body = VaultApi.lenientJson(request);
    Duration increment =
        body.hasNonNull("increment")
            ? VaultDurations.parse(body.get("increment"), "increment")
            : null;
    Duration granted =
        increment == null || increment.isZero() ? token.role().tokenTtl() : increment;
    Tokens.Token renewed = tokens.renew(token, granted);
    List<String> policies = List.of("default", token.role().name());
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("client_token", renewed.id());
    auth.put("accessor", renewed.accessor());
    auth.put("policies", policies);
    auth.put("token_policies", policies);
    auth.put("metadata", Map.of("role", token.role().name()));
    auth.put("lease_duration", granted.toSeconds());
    auth.put("renewable", true);
    auth.put("entity_id", renewed.entityId());
    auth.put("token_type", "service");
    auth.put("orphan", true);
    auth.put("mfa_requirement", null);
    auth.put("num_uses", 0);
    return Envelope.auth(auth);
  }
}
