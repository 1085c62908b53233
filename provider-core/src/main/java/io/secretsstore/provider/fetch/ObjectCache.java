// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.FetchedObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetched objects keyed by (identity, object spec), shared by every mount of the same identity. Two
 * pods with different identities never share an entry, since the identity key holds all that
 * decides authorization. Concurrent requests for a missing key share one backend call; entries in
 * use are refreshed in the background once per poll interval (plus jitter), and a change of content
 * is counted and served from then on; an entry is never served past its freshness window, one no
 * mount has used for the idle time is dropped, and one whose refresh is answered "denied" or "not
 * found" is dropped at once, for every file path and mode of that identity's object.
 */
final class ObjectCache {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectCache.class);

  /**
   * Rough bookkeeping cost of one entry, so many tiny objects also count against the byte bound.
   */
  private static final long ENTRY_OVERHEAD_BYTES = 512;

  private final String backend;
  // Volatile: the configuration file may change the timings while mounts run.
  private volatile CacheSettings settings;
  private final Ticker ticker;
  private final Clock clock;
  private final FetchEvents events;
  private final AsyncCache<Key, Entry> cache;

  /**
   * The key of one cached object. The file path and mode are part of it because a fetched object's
   * files carry them: two pods naming the same object with other modes (or a driver sending another
   * {@code permission}) must not share files.
   *
   * @param identity who fetched it
   * @param spec what was fetched, the backend's own record
   * @param path the planned file path
   * @param mode the planned file mode
   */
  record Key(IdentityKey identity, Object spec, String path, FileMode mode) {}

  /** Loads an object through the endpoint guard; the engine supplies it. */
  @FunctionalInterface
  interface Loader {
    CompletableFuture<FetchedObject> load();
  }

  /** A cached object and what is needed to refresh it. */
  static final class Entry {
    final FetchedObject value;
    final long fetchedAtNanos;

    /** Where in the jitter window this entry refreshes, so spread survives a change of settings. */
    final double jitterFraction;

    /** For an object the backend declared stable: when to refresh it; otherwise unused. */
    final long stableRefreshAtNanos;

    volatile long lastUsedNanos;
    volatile Loader refresher;
    final AtomicBoolean refreshing = new AtomicBoolean();

    /** After a failed refresh: no new attempt before this time. */
    volatile long retryAtNanos;

    Entry(
        FetchedObject value,
        long fetchedAtNanos,
        double jitterFraction,
        long stableRefreshAtNanos,
        Loader refresher) {
      this.value = value;
      this.fetchedAtNanos = fetchedAtNanos;
      this.jitterFraction = jitterFraction;
      this.stableRefreshAtNanos = stableRefreshAtNanos;
      this.lastUsedNanos = fetchedAtNanos;
      this.refresher = refresher;
    }
  }

  ObjectCache(
      String backend, CacheSettings settings, Ticker ticker, Clock clock, FetchEvents events) {
    this.backend = backend;
    this.settings = settings;
    this.ticker = ticker;
    this.clock = clock;
    this.events = events;
    this.cache =
        Caffeine.newBuilder()
            .ticker(ticker)
            // Every entry weighs at least maxBytes/maxEntries, so the one weight bound also caps
            // the count.
            .maximumWeight(settings.maxBytes())
            .weigher(
                (Key key, Entry entry) ->
                    (int)
                        Math.min(
                            Integer.MAX_VALUE,
                            Math.max(
                                minWeight(), entry.value.contentBytes() + ENTRY_OVERHEAD_BYTES)))
            .expireAfter(new FreshFor())
            .removalListener(
                (@Nullable Key key, @Nullable Entry entry, RemovalCause cause) -> {
                  if (cause.wasEvicted()) {
                    events.cacheEviction(backend);
                  }
                })
            .executor(Runnable::run)
            .buildAsync();
  }

  private long minWeight() {
    CacheSettings current = settings;
    return Math.max(1, current.maxBytes() / current.maxEntries());
  }

  /** Applies new settings: timings from the next refresh or expiry on, bounds at once. */
  void update(CacheSettings next) {
    settings = next;
    cache
        .synchronous()
        .policy()
        .eviction()
        .ifPresent(eviction -> eviction.setMaximum(next.maxBytes()));
  }

  /**
   * The object for a key: from the cache, from a call already in flight, or from a new call.
   *
   * @param loader starts a backend call; also kept to refresh the entry later, with the most recent
   *     mount's credentials
   */
  CompletableFuture<ServedObject> get(Key key, String id, Loader loader) {
    dropIfStale(key);
    AtomicBoolean started = new AtomicBoolean();
    CompletableFuture<Entry> entry =
        cache.get(
            key,
            (k, executor) -> {
              started.set(true);
              return loader.load().thenApply(value -> newEntry(value, loader));
            });
    ServedObject.Source source = ServedObject.Source.BACKEND;
    if (started.get()) {
      events.cacheMiss(backend);
    } else if (entry.isDone() && !entry.isCompletedExceptionally()) {
      events.cacheHit(backend);
      source = ServedObject.Source.CACHE;
    } else {
      events.singleFlightJoin(backend);
    }
    ServedObject.Source servedFrom = source;
    return entry.thenApply(
        e -> {
          e.lastUsedNanos = ticker.read();
          e.refresher = loader;
          return new ServedObject(id, e.value, servedFrom);
        });
  }

  /**
   * Expiry was computed when the entry was written; if the freshness window has since been
   * shortened by a configuration reload, an older entry must not be served.
   */
  private void dropIfStale(Key key) {
    CompletableFuture<Entry> present = cache.getIfPresent(key);
    if (present != null && present.isDone() && !present.isCompletedExceptionally()) {
      Entry entry = present.join();
      boolean stale =
          entry.value.stableUntil() == null
              ? ticker.read() - entry.fetchedAtNanos > settings.freshness().toNanos()
              : stableNanosLeft(entry.value) == 0;
      if (stale) {
        cache.asMap().remove(key, present);
      }
    }
  }

  private Entry newEntry(FetchedObject value, Loader loader) {
    long now = ticker.read();
    long stableRefreshAt =
        value.stableUntil() == null
            ? 0
            : now + Math.max(0, stableNanosLeft(value) - settings.pollInterval().toNanos());
    return new Entry(value, now, ThreadLocalRandom.current().nextDouble(), stableRefreshAt, loader);
  }

  /**
   * When to refresh, from the current settings: one interval plus this entry's share of the jitter,
   * or for an object the backend declared stable, one interval before its stable period ends, so
   * the new value is there before the old expires.
   */
  private long refreshAt(Entry entry) {
    if (entry.value.stableUntil() != null) {
      return entry.stableRefreshAtNanos;
    }
    CacheSettings current = settings;
    return entry.fetchedAtNanos
        + current.pollInterval().toNanos()
        + (long) (entry.jitterFraction * current.pollJitter().toNanos());
  }

  /**
   * One pass of the rotation poller: drops idle entries and starts a refresh of every entry in use
   * whose refresh time has come. Refreshes run through the loader (and so the endpoint guards);
   * their results replace the entries as they arrive.
   *
   * @return how many refreshes were started
   */
  int refreshDue() {
    long now = ticker.read();
    int started = 0;
    for (Map.Entry<Key, CompletableFuture<Entry>> mapping : cache.asMap().entrySet()) {
      CompletableFuture<Entry> future = mapping.getValue();
      if (!future.isDone() || future.isCompletedExceptionally()) {
        continue;
      }
      Entry entry = future.join();
      if (now - entry.lastUsedNanos > settings.idleAfter().toNanos()) {
        cache.asMap().remove(mapping.getKey(), future);
        events.cacheEviction(backend);
      } else if (now - refreshAt(entry) >= 0
          && now - entry.retryAtNanos >= 0
          && entry.refreshing.compareAndSet(false, true)) {
        refresh(mapping.getKey(), entry);
        started++;
      }
    }
    return started;
  }

  private void refresh(Key key, Entry old) {
    old.refresher
        .load()
        .whenComplete(
            (value, failure) -> {
              if (failure != null) {
                // Otherwise the old value stays until its freshness ends; the next mount after that
                // fetches again.
                // Until then the poller tries again after a back-off, not on every tick: a failing
                // or
                // throttling backend must not get several calls per object per interval.
                Throwable cause =
                    failure instanceof java.util.concurrent.CompletionException
                        ? failure.getCause()
                        : failure;
                if (cause instanceof ProviderException p && revokes(p)) {
                  evictRevoked(key);
                  LOG.atDebug()
                      .addKeyValue("backend", backend)
                      .addKeyValue("error", p.kind().name())
                      .log(
                          "background refresh found access revoked or the object gone; its cached value is dropped");
                  return;
                }
                old.retryAtNanos = ticker.read() + retryDelay(cause).toNanos();
                old.refreshing.set(false);
                LOG.atDebug()
                    .addKeyValue("backend", backend)
                    .addKeyValue(
                        "error",
                        cause instanceof ProviderException p
                            ? p.kind().name()
                            : SafeThrowables.describe(cause))
                    .log("background refresh failed");
                return;
              }
              if (!value.sameContent(old.value)) {
                events.rotationDetected(backend);
              }
              Entry fresh = newEntry(value, old.refresher);
              fresh.lastUsedNanos = old.lastUsedNanos;
              cache.asMap().replace(key, CompletableFuture.completedFuture(fresh));
            });
  }

  /**
   * Whether a failure says this identity may no longer read the object (access revoked, 401/403) or
   * that it is gone (404): then serving the cached value to new pods would outlive the revocation
   * by up to the freshness window.
   */
  private static boolean revokes(ProviderException failure) {
    return failure.kind() == ErrorKind.PERMISSION_DENIED || failure.kind() == ErrorKind.NOT_FOUND;
  }

  /**
   * Drops every entry of the key's identity and object, whatever file path and mode it was mounted
   * with.
   */
  private void evictRevoked(Key key) {
    cache
        .asMap()
        .keySet()
        .removeIf(
            other -> other.identity().equals(key.identity()) && other.spec().equals(key.spec()));
    events.cacheEviction(backend);
  }

  /** A quarter of the poll interval, or the backend's Retry-After when that is longer. */
  private Duration retryDelay(@Nullable Throwable cause) {
    Duration delay = settings.pollInterval().dividedBy(4);
    Duration advised =
        cause instanceof ProviderException p ? p.retryAfter().orElse(Duration.ZERO) : Duration.ZERO;
    return advised.compareTo(delay) > 0 ? advised : delay;
  }

  /**
   * Background refreshes started and not yet settled (their outcome or back-off recorded), for
   * tests.
   */
  long refreshesInFlight() {
    return cache.asMap().values().stream()
        .filter(future -> future.isDone() && !future.isCompletedExceptionally())
        .filter(future -> future.join().refreshing.get())
        .count();
  }

  /** Number of entries, for tests and metrics. */
  long size() {
    cache.synchronous().cleanUp();
    return cache.synchronous().estimatedSize();
  }

  /**
   * The weight of the entries against {@code --cache-max-bytes}: content plus per-entry overhead.
   */
  long weightedBytes() {
    return cache
        .synchronous()
        .policy()
        .eviction()
        .map(eviction -> eviction.weightedSize().orElse(0))
        .orElse(0L);
  }

  private long stableNanosLeft(FetchedObject value) {
    return Math.max(0, Duration.between(clock.instant(), value.stableUntil()).toNanos());
  }

  /**
   * Serves an entry for the freshness window, or exactly until the end of its declared stable
   * period.
   */
  private final class FreshFor implements Expiry<Key, Entry> {
    private long lifetime(Entry entry) {
      return entry.value.stableUntil() == null
          ? settings.freshness().toNanos()
          : stableNanosLeft(entry.value);
    }

    @Override
    public long expireAfterCreate(Key key, Entry entry, long currentTime) {
      return lifetime(entry);
    }

    @Override
    public long expireAfterUpdate(Key key, Entry entry, long currentTime, long currentDuration) {
      return lifetime(entry);
    }

    @Override
    public long expireAfterRead(Key key, Entry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
