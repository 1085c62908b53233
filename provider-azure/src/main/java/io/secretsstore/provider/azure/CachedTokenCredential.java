// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.credentials.IdentityKey;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * The credential the Key Vault clients of one identity use: tokens come from the process-wide
 * {@link CredentialCache}, keyed by the identity and the scope of Key Vault's challenge, so one
 * identity asks Entra ID once per token lifetime however many pods and mounts use it (upstream
 * builds a new credential on every mount). The login is replaced by each mount, so it always holds
 * the newest pod token.
 */
final class CachedTokenCredential implements TokenCredential {
  /** Gets a token for a scope from Entra ID (or another token source). */
  @FunctionalInterface
  interface Login {
    Expiring<AccessToken> login(TokenRequestContext request);
  }

  private final IdentityKey identity;
  private final CredentialCache cache;
  private final AtomicReference<Login> login = new AtomicReference<>();
  private final java.util.Set<String> scopes = java.util.concurrent.ConcurrentHashMap.newKeySet();

  CachedTokenCredential(IdentityKey identity, CredentialCache cache) {
    this.identity = identity;
    this.cache = cache;
  }

  /** The login of the newest mount of this identity. */
  void useLogin(Login newest) {
    login.set(newest);
  }

  /** Forgets the cached tokens of this identity, e.g. after Key Vault refused one. */
  void invalidateAll() {
    for (String scope : scopes) {
      cache.invalidate(key(scope));
    }
  }

  @Override
  public AccessToken getTokenSync(TokenRequestContext request) {
    String scope = String.join(" ", request.getScopes());
    scopes.add(scope);
    Login current = login.get();
    return cache.get(key(scope), () -> current.login(request));
  }

  @Override
  public Mono<AccessToken> getToken(TokenRequestContext request) {
    return Mono.fromCallable(() -> getTokenSync(request));
  }

  private IdentityKey key(String scope) {
    Map<String, String> parts = new TreeMap<>(identity.parts());
    parts.put("scope", scope);
    return new IdentityKey(identity.backend(), parts);
  }
}
