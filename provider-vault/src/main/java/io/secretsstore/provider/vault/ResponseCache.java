// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.mount.ProviderException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vault responses per (identity, request), below the engine's per-object cache. Several objects of
 * one request (the username and password of one database credential, the certificate and key of one
 * PKI issue) come from one Vault call, as upstream's per-mount cache gives them, but across mounts
 * and refreshes too:
 *
 * <ul>
 *   <li>ordinary responses (KV) are shared for a short window only, so every refresh reads Vault;
 *   <li>responses with a lease (dynamic secrets) are kept while the lease runs and renewed in place
 *       once two thirds of it have passed, so pods keep their credentials instead of getting new
 *       ones every poll; a lease no refresh has touched for {@code revokeAfter} is revoked;
 *   <li>certificates (PKI issue, no lease) are reused until {@code pkiReuseFraction} of their
 *       lifetime, instead of one certificate per poll.
 * </ul>
 *
 * <p>Callers of one key wait for each other (single-flight); different identities never share.
 *
 * <p>What is held is bounded, so that large answers cannot pile up between reaper passes: answers
 * count against {@code heldBytesBudget} (an answer that does not fit is used once and not kept; a
 * lease it carries then ends at its TTL, as every upstream lease does); ordinary answers are
 * dropped as soon as their window ends, by the next call; and a leased answer's data is dropped
 * once the engine's stable period for it has passed (the engine asks again before then when the
 * mount is still in use), keeping only what revoking the lease needs.
 */
final class ResponseCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);

  /** Long enough for all objects of one mount, short enough that a refresh always reads Vault. */
  static final Duration SHARE_WINDOW = Duration.ofSeconds(2);

  /** Below this a renewed lease is not worth keeping (max TTL reached): new credentials instead. */
  private static final Duration MIN_USEFUL_LEASE = Duration.ofSeconds(10);

  /** Answers held at once, in bytes of JSON: one large legitimate secret fits, seven do not. */
  static final long DEFAULT_HELD_BYTES = 4L << 20;

  /**
   * What an entry costs besides its answer (key, slot, lock, lease record), counted so that many
   * tiny answers cannot grow the map without bound either: at most budget / overhead entries.
   */
  static final long ENTRY_OVERHEAD = 1024;

  private final Clock clock;
  private final Duration revokeAfter;
  private final double pkiReuseFraction;
  private final long heldBytesBudget;
  private final Map<Key, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicLong heldBytes = new AtomicLong();

  /** Ordinary answers in the order they were stored, so the stale ones are found without a scan. */
  private final Queue<Stored> plainOrder = new ConcurrentLinkedQueue<>();

  private record Stored(Key key, Entry entry) {}

  /**
   * @param identity who asked
   * @param request what was asked
   */
  record Key(IdentityKey identity, SecretRequest request) {}

  /** A response and until when the engine may serve what was made from it without asking again. */
  record Result(VaultSecret secret, Instant stableUntil) {}

  /**
   * An answer read from Vault.
   *
   * @param secret the parsed answer
   * @param bytes the size of its JSON, what holding it costs
   */
  record Answer(VaultSecret secret, long bytes) {}

  /** The Vault calls of the mount that asks, with its credentials. */
  interface Session {
    /** Reads the request from Vault. */
    Answer read() throws InterruptedException;

    /** Renews a lease; its answer holds the new lease_duration. */
    Optional<VaultSecret> renew(String leaseId, long incrementSeconds) throws InterruptedException;

    /**
     * Something that revokes the lease later, when no mount is left to ask (token refreshed as
     * needed).
     */
    LeaseRevoker revoker(String leaseId);
  }

  /** Revokes one lease. */
  @FunctionalInterface
  interface LeaseRevoker {
    void revoke() throws InterruptedException;
  }

  private enum Kind {
    PLAIN,
    LEASE,
    CERTIFICATE
  }

  private static final class Entry {
    /** The answer; null once dropped (a lease kept only to be revoked). */
    VaultSecret secret;

    final Kind kind;
    final Instant fetchedAt;
    Instant expiresAt;
    Instant dueAt;
    long grantedSeconds;
    Instant lastTouched;

    /** Until when the data is kept: the end of the last stable period handed out. */
    Instant keepUntil;

    /** Bytes counted against the budget for this entry; 0 once released. */
    long held;

    LeaseRevoker revoker;

    Entry(VaultSecret secret, Kind kind, Instant fetchedAt) {
      this.secret = secret;
      this.kind = kind;
      this.fetchedAt = fetchedAt;
      this.lastTouched = fetchedAt;
      this.keepUntil = fetchedAt;
    }
  }

  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    Entry entry;
  }

  ResponseCache(Clock clock, Duration revokeAfter, double pkiReuseFraction) {
    this(clock, revokeAfter, pkiReuseFraction, DEFAULT_HELD_BYTES);
  }

  ResponseCache(Clock clock, Duration revokeAfter, double pkiReuseFraction, long heldBytesBudget) {
    this.clock = clock;
    this.revokeAfter = revokeAfter;
    this.pkiReuseFraction = pkiReuseFraction;
    this.heldBytesBudget = heldBytesBudget;
  }

  Result get(Key key, Session session) throws InterruptedException {
    dropStalePlain(clock.instant());
    Slot slot = slots.computeIfAbsent(key, k -> new Slot());
    slot.lock.lockInterruptibly();
    try {
      Instant now = clock.instant();
      Entry entry = slot.entry;
      if (entry != null && entry.secret != null) {
        Optional<Result> reused = reuse(entry, now, session);
        if (reused.isPresent()) {
          entry.lastTouched = now;
          return reused.get();
        }
      }
      Answer answer = session.read();
      Entry fresh = classify(answer.secret(), now);
      if (entry != null) {
        // A lease whose data was dropped is not revoked when replaced: a pod may still use it
        // until its files change; it ends at its TTL, as every upstream lease does.
        release(entry);
      }
      if (!hold(fresh, answer.bytes())) {
        slots.remove(key, slot);
        slot.entry = null;
        return result(fresh, now);
      }
      if (fresh.kind == Kind.LEASE) {
        fresh.revoker = session.revoker(answer.secret().leaseId());
      }
      slot.entry = fresh;
      if (fresh.kind == Kind.PLAIN) {
        plainOrder.add(new Stored(key, fresh));
      }
      return result(fresh, now);
    } finally {
      slot.lock.unlock();
    }
  }

  /** Counts an entry against the budget; false (nothing counted) when it does not fit. */
  private boolean hold(Entry entry, long answerBytes) {
    long bytes = answerBytes + ENTRY_OVERHEAD;
    long after = heldBytes.addAndGet(bytes);
    if (after > heldBytesBudget) {
      heldBytes.addAndGet(-bytes);
      return false;
    }
    entry.held = bytes;
    return true;
  }

  /** Drops an entry's data, keeping what its lease record costs; called with its slot locked. */
  private void dropData(Entry entry) {
    entry.secret = null;
    heldBytes.addAndGet(ENTRY_OVERHEAD - entry.held);
    entry.held = ENTRY_OVERHEAD;
  }

  /** Gives back all an entry counted, as it leaves the map; called with its slot locked. */
  private void release(Entry entry) {
    entry.secret = null;
    heldBytes.addAndGet(-entry.held);
    entry.held = 0;
  }

  /**
   * Removes ordinary answers whose window has ended, oldest first, without waiting for a busy slot.
   */
  private void dropStalePlain(Instant now) {
    for (Stored stored = plainOrder.peek(); stored != null; stored = plainOrder.peek()) {
      Slot slot = slots.get(stored.key());
      if (slot == null || slot.entry != stored.entry()) {
        plainOrder.remove(stored);
        continue;
      }
      if (now.isBefore(stored.entry().fetchedAt.plus(SHARE_WINDOW)) || !slot.lock.tryLock()) {
        return;
      }
      try {
        if (slot.entry == stored.entry()) {
          release(stored.entry());
          slot.entry = null;
          slots.remove(stored.key(), slot);
        }
      } finally {
        slot.lock.unlock();
      }
      plainOrder.remove(stored);
    }
  }

  /** Bytes of answers held now, for tests. */
  long heldBytes() {
    return heldBytes.get();
  }

  private Optional<Result> reuse(Entry entry, Instant now, Session session)
      throws InterruptedException {
    switch (entry.kind) {
      case PLAIN -> {
        return now.isBefore(entry.fetchedAt.plus(SHARE_WINDOW))
            ? Optional.of(result(entry, now))
            : Optional.empty();
      }
      case CERTIFICATE -> {
        return now.isBefore(entry.dueAt) ? Optional.of(result(entry, now)) : Optional.empty();
      }
      default -> {
        if (now.isBefore(entry.dueAt)) {
          return Optional.of(result(entry, now));
        }
        return renew(entry, now, session) ? Optional.of(result(entry, now)) : Optional.empty();
      }
    }
  }

  /**
   * Renews a lease that is due; false when it cannot be (not renewable, refused, or at its max
   * TTL).
   */
  private boolean renew(Entry entry, Instant now, Session session) throws InterruptedException {
    if (!entry.secret.renewable()) {
      return false;
    }
    try {
      Optional<VaultSecret> answer =
          session.renew(entry.secret.leaseId(), entry.secret.leaseDuration());
      long seconds = answer.map(VaultSecret::leaseDuration).orElse(0L);
      if (seconds < MIN_USEFUL_LEASE.toSeconds()) {
        return false;
      }
      entry.grantedSeconds = seconds;
      entry.expiresAt = now.plusSeconds(seconds);
      entry.dueAt = now.plusSeconds(seconds * 2 / 3);
      return true;
    } catch (ProviderException e) {
      LOG.atDebug()
          .addKeyValue("error", e.kind().name())
          .log("lease renewal failed; reading new credentials");
      return false;
    }
  }

  private Entry classify(VaultSecret secret, Instant now) {
    if (secret.leased()) {
      Entry entry = new Entry(secret, Kind.LEASE, now);
      entry.grantedSeconds = secret.leaseDuration();
      entry.expiresAt = now.plusSeconds(secret.leaseDuration());
      entry.dueAt = now.plusSeconds(secret.leaseDuration() * 2 / 3);
      return entry;
    }
    Optional<X509Certificate> certificate = certificate(secret);
    if (certificate.isPresent()) {
      Instant notBefore = certificate.get().getNotBefore().toInstant();
      Instant notAfter = certificate.get().getNotAfter().toInstant();
      long lifetime = Duration.between(notBefore, notAfter).toMillis();
      Instant reuseUntil = notBefore.plusMillis((long) (lifetime * pkiReuseFraction));
      if (reuseUntil.isAfter(now)) {
        Entry entry = new Entry(secret, Kind.CERTIFICATE, now);
        entry.expiresAt = notAfter;
        entry.dueAt = reuseUntil;
        return entry;
      }
    }
    return new Entry(secret, Kind.PLAIN, now);
  }

  /** A PKI issue answer: a certificate in {@code data.certificate} and no lease. */
  private static Optional<X509Certificate> certificate(VaultSecret secret) {
    if (secret.data() == null
        || !(secret.data().get("certificate") instanceof String pem)
        || !pem.contains("BEGIN CERTIFICATE")) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    } catch (CertificateException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The engine serves leased and certificate objects without asking again until {@code
   * stableUntil}: shortly before the lease ends or when the certificate is due, but at least every
   * half of the revoke delay, so a lease in use is always touched before it would count as
   * abandoned.
   */
  private Result result(Entry entry, Instant now) {
    if (entry.kind == Kind.PLAIN) {
      return new Result(entry.secret, null);
    }
    Instant until =
        entry.kind == Kind.CERTIFICATE
            ? entry.dueAt
            : entry.expiresAt.minusSeconds(Math.min(entry.grantedSeconds / 10, 30));
    Instant touchBy = now.plus(revokeAfter.dividedBy(2));
    if (touchBy.isBefore(until)) {
      until = touchBy;
    }
    Instant stable = until.isAfter(now) ? until : now.plusSeconds(1);
    if (stable.plus(SHARE_WINDOW).isAfter(entry.keepUntil)) {
      entry.keepUntil = stable.plus(SHARE_WINDOW);
    }
    return new Result(entry.secret, stable);
  }

  /**
   * Drops what no one asked for lately and revokes leases no refresh touched for the revoke delay.
   *
   * @return how many leases were revoked
   */
  int reap() {
    Instant now = clock.instant();
    dropStalePlain(now);
    int revoked = 0;
    for (Map.Entry<Key, Slot> mapping : slots.entrySet()) {
      Slot slot = mapping.getValue();
      if (!slot.lock.tryLock()) {
        continue;
      }
      try {
        Entry entry = slot.entry;
        boolean idle =
            entry == null || Duration.between(entry.lastTouched, now).compareTo(revokeAfter) > 0;
        boolean stalePlain =
            entry != null
                && entry.kind == Kind.PLAIN
                && !now.isBefore(entry.fetchedAt.plus(SHARE_WINDOW));
        boolean expired =
            entry != null && entry.expiresAt != null && !now.isBefore(entry.expiresAt);
        if (idle || stalePlain || expired) {
          if (entry != null && entry.kind == Kind.LEASE && !expired && revoke(entry)) {
            revoked++;
          }
          if (entry != null) {
            release(entry);
          }
          slots.remove(mapping.getKey(), slot);
        } else if (entry != null
            && entry.kind == Kind.LEASE
            && entry.secret != null
            && now.isAfter(entry.keepUntil)) {
          // No mount asked within the stable period: keep the lease to revoke, not its data.
          dropData(entry);
        }
      } finally {
        slot.lock.unlock();
      }
    }
    return revoked;
  }

  private static boolean revoke(Entry entry) {
    try {
      entry.revoker.revoke();
      return true;
    } catch (ProviderException e) {
      LOG.atWarn()
          .addKeyValue("error", e.kind().name())
          .log(
              "could not revoke an unused Vault lease; it ends at its TTL (does the role's policy allow sys/leases/revoke?)");
    } catch (RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("exception", SafeThrowables.describe(e))
          .log("could not revoke an unused Vault lease");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Leases held now, for tests and metrics. */
  long leases() {
    return slots.values().stream()
        .filter(s -> s.entry != null && s.entry.kind == Kind.LEASE)
        .count();
  }

  /** Revokes every lease still held: the provider is stopping and no one will renew them. */
  @Override
  public void close() {
    for (Slot slot : slots.values()) {
      Entry entry = slot.entry;
      if (entry != null && entry.kind == Kind.LEASE && clock.instant().isBefore(entry.expiresAt)) {
        revoke(entry);
      }
    }
    slots.clear();
  }
}
