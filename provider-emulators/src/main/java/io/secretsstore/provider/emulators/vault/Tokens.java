// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.EmulatorError;
import io.secretsstore.provider.emulators.EmulatorRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The Vault tokens logins issued, by client token. Thread-safe. */
final class Tokens {
  /** One token: the namespace it was issued in, its role (its "policies") and when it dies. */
  record Token(
      String id,
      String accessor,
      String entityId,
      String namespace,
      VaultRole role,
      Instant expiry) {
    @Override
    public String toString() {
      return "Token[accessor="
          + accessor
          + ", namespace="
          + namespace
          + ", role="
          + role.name()
          + "]";
    }
  }

  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  Token issue(String namespace, VaultRole role, String entityId) {
    // Real service tokens are "hvs." and a long random tail; the length only has to be unguessable.
    Token token =
        new Token(
            "hvs." + Envelope.randomAlphanumeric(40),
            Envelope.randomAlphanumeric(24),
            entityId,
            namespace,
            role,
            Instant.now().plus(role.tokenTtl()));
    tokens.put(token.id(), token);
    return token;
  }

  /**
   * The live token of a request, from {@code X-Vault-Token} or {@code Authorization: Bearer}, in
   * the request's namespace; 403 {@code permission denied} otherwise, as Vault answers.
   */
  Token require(EmulatorRequest request, String namespace) {
    String id =
        request
            .header("X-Vault-Token")
            .or(
                () ->
                    request
                        .header("Authorization")
                        .filter(a -> a.startsWith("Bearer "))
                        .map(a -> a.substring(7)))
            .orElse("");
    Token token = tokens.get(id.trim());
    if (token == null || !token.namespace().equals(namespace)) {
      throw new EmulatorError(403, VaultErrors.PERMISSION_DENIED);
    }
    if (!Instant.now().isBefore(token.expiry())) {
      tokens.remove(token.id());
      throw new EmulatorError(403, VaultErrors.PERMISSION_DENIED);
    }
    return token;
  }

  /** Extends a live token by {@code increment} from now (its role's TTL when null). */
  Token renew(Token token, Duration increment) {
    Token renewed =
        new Token(
            token.id(),
            token.accessor(),
            token.entityId(),
            token.namespace(),
            token.role(),
            Instant.now().plus(increment == null ? token.role().tokenTtl() : increment));
    if (!tokens.replace(token.id(), token, renewed)) {
      throw new EmulatorError(403, VaultErrors.PERMISSION_DENIED);
    }
    return renewed;
  }

  void revokeAll() {
    tokens.clear();
  }

  static String newEntityId() {
    return UUID.randomUUID().toString();
  }
}
