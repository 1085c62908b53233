// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretsstore.provider.emulators.EmulatorError;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import io.secretsstore.provider.emulators.EmulatorServer;
import io.secretsstore.provider.emulators.Route;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The HTTP side of the emulator: which routes exist, under which operation they are counted and
 * faulted, and the token check in front of every path but login. Resources are API paths without
 * {@code /v1/} and without the query, e.g. {@code secret/data/app/db}.
 */
final class VaultApi {
  static final String LOGIN = "vault.login";
  static final String READ = "vault.read";
  static final String WRITE = "vault.write";
  static final String RENEW = "vault.renew";
  static final String REVOKE = "vault.revoke";

  private final Mounts mounts;
  private final KubernetesAuth auth;
  private final Tokens tokens;
  private final Leases leases;

  VaultApi(Mounts mounts, KubernetesAuth auth, Tokens tokens, Leases leases) {
    this.mounts = mounts;
    this.auth = auth;
    this.tokens = tokens;
    this.leases = leases;
  }

  void register(EmulatorServer server) {
    new TokenSelfApi(tokens).register(server);
    for (String method : List.of("POST", "PUT")) {
      server.route(
          Route.of(method, "/v1/auth/{rest*}", LOGIN)
              .when(r -> r.pathParam("rest").endsWith("/login"))
              .resource(VaultApi::apiPath),
          this::login);
      // The body form (vault/api) and the path form (vault-java-driver), plus the pre-1.0 aliases.
      for (String prefix : List.of("/v1/sys/leases/", "/v1/sys/")) {
        server.route(
            Route.of(method, prefix + "renew/{lease*}", RENEW).resource(VaultApi::apiPath),
            this::renew);
        server.route(
            Route.of(method, prefix + "revoke/{lease*}", REVOKE).resource(VaultApi::apiPath),
            this::revoke);
      }
      server.route(
          Route.of(method, "/v1/{path*}", WRITE).resource(VaultApi::apiPath),
          request -> serve(request, true));
    }
    server.route(
        Route.of("GET", "/v1/{path*}", READ).resource(VaultApi::apiPath),
        request -> serve(request, false));
  }

  private EmulatorResponse login(EmulatorRequest request) {
    String rest = request.pathParam("rest");
    String mount = Mounts.trimSlashes(rest.substring(0, rest.length() - "/login".length()));
    return auth.login(namespace(request), mount, request);
  }

  private EmulatorResponse serve(EmulatorRequest request, boolean write) {
    String namespace = namespace(request);
    String path = apiPath(request);
    Tokens.Token token = tokens.require(request, namespace);
    if (!token.role().allows(path)) {
      throw new EmulatorError(403, VaultErrors.PERMISSION_DENIED);
    }
    if (!write && path.equals("sys/mounts")) {
      return Envelope.secret(mounts.describe(namespace), "", 0, false);
    }
    Mounts.Resolved target = mounts.resolve(namespace, path);
    if (target == null) {
      throw SecretsEngine.notFound();
    }
    return write
        ? target.engine().write(namespace, target.path(), request)
        : target.engine().read(namespace, target.path(), request);
  }

  // Renewing and revoking need a live token but no grant: Vault's default policy allows renewal,
  // and the emulator lets the same tokens clean up after themselves.
  private EmulatorResponse renew(EmulatorRequest request) {
    String namespace = namespace(request);
    tokens.require(request, namespace);
    JsonNode body = lenientJson(request);
    Duration increment =
        body.hasNonNull("increment")
            ? VaultDurations.parse(body.get("increment"), "increment")
            : null;
    if (increment != null && increment.isZero()) {
      increment = null;
    }
    Leases.Lease lease = leases.renew(namespace, leaseId(request, body), increment);
    long seconds = (increment == null ? lease.ttl() : increment).toSeconds();
    return Envelope.secret(null, lease.id(), seconds, true);
  }

  private EmulatorResponse revoke(EmulatorRequest request) {
    String namespace = namespace(request);
    tokens.require(request, namespace);
    leases.revoke(namespace, leaseId(request, lenientJson(request)));
    return EmulatorResponse.empty(204);
  }

  private static String leaseId(EmulatorRequest request, JsonNode body) {
    String id = Mounts.trimSlashes(request.pathParam("lease"));
    if (id.isEmpty()) {
      id = body.path("lease_id").asText("").trim();
    }
    if (id.isEmpty()) {
      throw new EmulatorError(400, "lease_id must be specified");
    }
    return id;
  }

  static JsonNode lenientJson(EmulatorRequest request) {
    if (request.bodyText().isBlank()) {
      return Envelope.JSON.createObjectNode();
    }
    try {
      return Envelope.JSON.readTree(request.body());
    } catch (IOException e) {
      throw new EmulatorError(400, "failed to parse JSON input");
    }
  }

  /** The request's namespace from {@code X-Vault-Namespace}; the root namespace is {@code ""}. */
  static String namespace(EmulatorRequest request) {
    return request.header("X-Vault-Namespace").map(Mounts::trimSlashes).orElse("");
  }

  /**
   * The API path without {@code /v1/} and without surrounding slashes, e.g. {@code
   * secret/data/app/db}.
   */
  static String apiPath(EmulatorRequest request) {
    String path = request.path();
    return Mounts.trimSlashes(path.startsWith("/v1/") ? path.substring("/v1/".length()) : path);
  }
}
