// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.secretsstore.provider.mount.ServiceAccountToken;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service-account tokens for SecretSyncs, one per (namespace, service account, audience), reused
 * until a fifth of their lifetime is left, so a poll of many SecretSyncs of one service account
 * costs one TokenRequest per token lifetime, not one per sync.
 */
public final class TokenCache {
  /** Mints a token; TokenRequests.mintUnbound in production. */
  @FunctionalInterface
  public interface Minter {
    ServiceAccountToken mint(String namespace, String serviceAccount, String audience, Duration ttl);
  }

  private record Key(String namespace, String serviceAccount, String audience) {}

  private record Cached(ServiceAccountToken token, java.time.Instant renewAt) {}

  private final Minter minter;
  private final Duration ttl;
  private final Clock clock;
  private final Map<Key, Cached> tokens = new ConcurrentHashMap<>();

  public TokenCache(Minter minter, Duration ttl, Clock clock) {
    this.minter = minter;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** A usable token per audience for the service account. */
  public List<ServiceAccountToken> tokens(String namespace, String serviceAccount, List<String> audiences) {
    List<ServiceAccountToken> out = new ArrayList<>(audiences.size());
    for (String audience : audiences) {
      Key key = new Key(namespace, serviceAccount, audience);
      Cached cached = tokens.get(key);
      if (cached == null || !clock.instant().isBefore(cached.renewAt())) {
        ServiceAccountToken token = minter.mint(namespace, serviceAccount, audience, ttl);
        Duration lifetime = Duration.between(clock.instant(), token.expiresAt());
        cached = new Cached(token, clock.instant().plus(lifetime.multipliedBy(4).dividedBy(5)));
        tokens.put(key, cached);
      }
      out.add(cached.token());
    }
    return out;
  }

  /** Forgets every token of a service account (e.g. after the backend refused it). */
  public void forget(String namespace, String serviceAccount) {
    tokens.keySet().removeIf(k -> k.namespace().equals(namespace) && k.serviceAccount().equals(serviceAccount));
  }

  @Override
  public String toString() {
    return "TokenCache[" + tokens.size() + " tokens]";
  }
}
