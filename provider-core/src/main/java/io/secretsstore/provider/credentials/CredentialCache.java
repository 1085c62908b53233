// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.credentials;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.secretsstore.provider.concurrent.SingleFlight;
import io.secretsstore.provider.mount.ErrorKind;
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

  /** Logins in flight, one per identity. */
  private final SingleFlight<IdentityKey, Expiring<?>> logins = new SingleFlight<>();

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
   * The identity's credential, logging in when there is none or it is about to expire. Concurrent
   * callers for one identity share one login; callers for other identities never wait for it.
   *
   * @param login derives a credential; its failures ({@link ProviderException}) reach the caller
   *     and every caller that waited for the same login, and nothing is cached
   * @throws ProviderException CANCELLED when the thread is interrupted while it waits for another
   *     caller's login (its fetch was abandoned)
   */
  @SuppressWarnings("unchecked") // Keys hold the backend name, and each backend stores one type.
  public <C> C get(IdentityKey identity, Login<C> login) {
    Expiring<?> credential = cache.getIfPresent(identity);
    if (credential != null && usable(credential)) {
      return (C) credential.value();
    }
    Expiring<?> fresh;
    try {
      fresh =
          logins.run(
              identity,
              () -> {
                // Another caller's login may have ended between the look-up above and this call.
                Expiring<?> current = cache.getIfPresent(identity);
                if (current != null && usable(current)) {
                  return current;
                }
                Expiring<?> made = login.login();
                cache.put(identity, made);
                return made;
              });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(ErrorKind.CANCELLED, "the fetch was cancelled");
    }
    return (C) fresh.value();
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
