// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Which owners (backend, namespace, object) each payload fingerprint was served under, to count
 * values reused under more than one owner. Bounded: at most {@code maxFingerprints}, and a few
 * owners each (two already prove reuse).
 */
public final class FingerprintIndex {
  private static final int MAX_OWNERS = 8;
  private final Cache<String, Set<String>> owners;
  private final AtomicLong reused = new AtomicLong();

  public FingerprintIndex(long maxFingerprints) {
    this.owners =
        Caffeine.newBuilder()
            .maximumSize(maxFingerprints)
            .executor(Runnable::run)
            .removalListener(
                (@Nullable String key,
                    @Nullable Set<String> value,
                    com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                  if (value != null && value.size() > 1) {
                    reused.decrementAndGet();
                  }
                })
            .build();
  }

  /** Records that a fingerprint was served under an owner. */
  public void record(String fingerprint, String owner) {
    Set<String> set = owners.get(fingerprint, f -> ConcurrentHashMap.newKeySet());
    synchronized (set) {
      if (set.size() < MAX_OWNERS && set.add(owner) && set.size() == 2) {
        reused.incrementAndGet();
      }
    }
  }

  /** Fingerprints served under two or more owners. */
  public long reusedCount() {
    return reused.get();
  }
}
