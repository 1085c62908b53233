// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.secretsstore.provider.mount.ServiceAccountToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Service-account tokens for SecretSyncs, one per (namespace, service account, audience), reused
 * until a fifth of their lifetime is left, so a poll of many SecretSyncs of one service account
 * costs one TokenRequest per token lifetime, not one per sync. The cache is bounded (beyond {@value
 * #MAX_TOKENS}, a rarely used token is evicted), a token is dropped once expired, and {@link
 * #forget} drops a service account's tokens when its SecretSync goes or the backend refuses them.
 */
public final class TokenCache {
  /**
   * Upstream's token lifetime, which its admission policy requires: 10 minutes, the API server's
   * minimum.
   */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  /** Tokens kept at most; an evicted one is minted again when next needed. */
  static final long MAX_TOKENS = 10_000;

  /** Mints a token; TokenRequests.mintUnbound in production. */
  @FunctionalInterface
  public interface Minter {
    ServiceAccountToken mint(
        String namespace, String serviceAccount, String audience, Duration ttl);
  }

  private record Key(String namespace, String serviceAccount, String audience) {}

  private record Cached(ServiceAccountToken token, Instant renewAt) {}

  private final Minter minter;
  private final Duration ttl;
  private final Clock clock;
  private final Cache<Key, Cached> tokens;

  public TokenCache(Minter minter, Duration ttl, Clock clock) {
    this(minter, ttl, clock, MAX_TOKENS);
  }

  TokenCache(Minter minter, Duration ttl, Clock clock, long maxTokens) {
    this.minter = minter;
    this.ttl = ttl;
    this.clock = clock;
    // Evictions run on the caller's thread: small work, and no token outlives its eviction in a
    // pool's queue.
    this.tokens =
        Caffeine.newBuilder()
            .maximumSize(maxTokens)
            .expireAfterWrite(ttl)
            .executor(Runnable::run)
            .build();
  }

  /** A usable token per audience for the service account. */
  public List<ServiceAccountToken> tokens(
      String namespace, String serviceAccount, List<String> audiences) {
    List<ServiceAccountToken> out = new ArrayList<>(audiences.size());
    for (String audience : audiences) {
      Key key = new Key(namespace, serviceAccount, audience);
      Cached cached = tokens.getIfPresent(key);
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

  /**
   * Forgets every token of a service account (its SecretSync was deleted, or the backend refused
   * it).
   */
  public void forget(String namespace, String serviceAccount) {
    tokens
        .asMap()
        .keySet()
        .removeIf(
            k -> k.namespace().equals(namespace) && k.serviceAccount().equals(serviceAccount));
  }

  /** Tokens held now (after pending evictions). */
  long size() {
    tokens.cleanUp();
    return tokens.estimatedSize();
  }

  @Override
  public String toString() {
    return "TokenCache[" + tokens.estimatedSize() + " tokens]";
  }
}
