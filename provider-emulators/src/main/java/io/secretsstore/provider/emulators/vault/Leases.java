// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.EmulatorError;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Leases of dynamic secrets: created by engines, renewed and revoked through {@code sys/leases}.
 * Thread-safe.
 */
final class Leases {
  /** One lease, in the namespace that issued it. */
  record Lease(String id, String namespace, Duration ttl, Instant expiry) {
    boolean expired(Instant now) {
      return !now.isBefore(expiry);
    }

    long remainingSeconds(Instant now) {
      return Math.max(0, Duration.between(now, expiry).toSeconds());
    }
  }

  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  final AtomicInteger renewed = new AtomicInteger();
  final AtomicInteger revoked = new AtomicInteger();

  /** A new lease whose id is {@code prefix/<random>}, e.g. {@code database/creds/app/Xy12...}. */
  Lease create(String namespace, String prefix, Duration ttl) {
    Lease lease =
        new Lease(
            prefix + "/" + Envelope.randomAlphanumeric(24),
            namespace,
            ttl,
            Instant.now().plus(ttl));
    leases.put(lease.id(), lease);
    return lease;
  }

  /**
   * Extends a live lease by {@code increment} from now (its own TTL when null); 400 in Vault's
   * words when it is unknown, revoked, expired or of another namespace.
   */
  Lease renew(String namespace, String id, Duration increment) {
    Instant now = Instant.now();
    Lease lease = leases.get(id);
    if (lease == null || !lease.namespace().equals(namespace)) {
      throw new EmulatorError(400, "lease not found");
    }
    if (lease.expired(now)) {
      leases.remove(id, lease);
      throw new EmulatorError(400, "lease expired");
    }
    Duration ttl = increment == null ? lease.ttl() : increment;
    Lease extended = new Lease(id, namespace, lease.ttl(), now.plus(ttl));
    if (!leases.replace(id, lease, extended)) {
      throw new EmulatorError(400, "lease not found");
    }
    renewed.incrementAndGet();
    return extended;
  }

  /** Revokes a lease; like Vault, revoking an unknown one is not an error. */
  void revoke(String namespace, String id) {
    Lease lease = leases.get(id);
    if (lease != null && lease.namespace().equals(namespace) && leases.remove(id, lease)) {
      revoked.incrementAndGet();
    }
  }

  Set<String> activeIds() {
    Instant now = Instant.now();
    return leases.values().stream()
        .filter(l -> !l.expired(now))
        .map(Lease::id)
        .collect(Collectors.toUnmodifiableSet());
  }
}
