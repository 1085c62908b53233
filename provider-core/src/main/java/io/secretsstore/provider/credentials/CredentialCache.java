// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.credentials;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.secretsstore.provider.mount.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Credentials derived from pod tokens, one per identity, shared by all backends of the process. A
 * credential is used until shortly before it expires; concurrent mounts of one identity share one
 * login (the loader runs once per key while others wait for it).
 */
public final class CredentialCache {
  /** How long before expiry a credential is no longer handed out. */
  static final Duration MIN_SKEW = Duration.ofSeconds(30);

  private final Clock clock;
  private final Cache<IdentityKey, Expiring<?>> cache;

  /** A cache of at most {@code maxEntries} identities. */
  public CredentialCache(Clock clock, int maxEntries) {
    this.clock = clock;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .ticker(Ticker.systemTicker())
            .expireAfter(new UntilShortlyBeforeExpiry(clock))
            .build();
  }

  /**
   * The identity's credential, logging in when there is none or it is about to expire.
   *
   * @param login derives a credential; its failures ({@link ProviderException}) reach the caller
   *     and nothing is cached
   */
  @SuppressWarnings("unchecked") // Keys hold the backend name, and each backend stores one type.
  public <C> C get(IdentityKey identity, Login<C> login) {
    Expiring<?> credential = cache.getIfPresent(identity);
    if (credential == null || !usable(credential)) {
      credential =
          cache
              .asMap()
              .compute(
                  identity,
                  (key, current) -> current != null && usable(current) ? current : login.login());
    }
    return (C) credential.value();
  }

  /** Forgets an identity's credential, e.g. after the backend rejected it with 403. */
  public void invalidate(IdentityKey identity) {
    cache.invalidate(identity);
  }

  /** How many identities hold a credential. */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private boolean usable(Expiring<?> credential) {
    return clock.instant().isBefore(credential.expiresAt().minus(skew(credential)));
  }

  /** A fixed margin, so a credential is never sent in its last seconds and refused mid-mount. */
  private static Duration skew(Expiring<?> credential) {
    return MIN_SKEW;
  }

  /**
   * Derives a credential for an identity (a login).
   *
   * @param <C> the credential type
   */
  @FunctionalInterface
  public interface Login<C> {
    Expiring<C> login();
  }

  /** Evicts a credential when it stops being usable. */
  private static final class UntilShortlyBeforeExpiry implements Expiry<IdentityKey, Expiring<?>> {
    private final Clock clock;

    UntilShortlyBeforeExpiry(Clock clock) {
      this.clock = clock;
    }

    private long nanosLeft(Expiring<?> credential) {
      Instant usableUntil = credential.expiresAt().minus(skew(credential));
      return Math.max(0, Duration.between(clock.instant(), usableUntil).toNanos());
    }

    @Override
    public long expireAfterCreate(IdentityKey key, Expiring<?> value, long currentTime) {
      return nanosLeft(value);
    }

    @Override
    public long expireAfterUpdate(
        IdentityKey key, Expiring<?> value, long currentTime, long currentDuration) {
      return nanosLeft(value);
    }

    @Override
    public long expireAfterRead(
        IdentityKey key, Expiring<?> value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
