// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.ObjectFetcher;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.SecretBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a mount: the backend's plan, core's rules, then every object fetched in parallel through the
 * shared cache under one deadline. All or nothing: if any object fails, the mount fails and no file
 * is returned, so a rotation never leaves a pod with part of its secrets.
 *
 * <p>Backend calls go through the {@link ObjectCache} (one call per (identity, object) in flight,
 * answers from cache while fresh, background refresh once per poll interval) and an {@link
 * EndpointGuard} per endpoint (backoff, circuit breaker), on a bounded pool that the {@link
 * FetchScheduler} shares fairly between identities.
 */
public final class MountEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MountEngine.class);
  private static final int QUEUE_PER_THREAD = 256;

  /** Endpoints whose guard (circuit state) is kept. */
  static final int MAX_ENDPOINTS = 1024;

  /**
   * Identities whose tokens are checked locally before anything cached is used (docs/security.md).
   */
  static final int MAX_SERVED_IDENTITIES = 10_000;

  /** Longer than any credential a backend caches for an identity in practice (a login's TTL). */
  static final Duration SERVED_FOR = Duration.ofHours(24);

  private final SecretBackend backend;
  private final EngineSettings settings;
  private final MountRules rules;
  private final FetchEvents events;
  private final ObjectCache cache;

  /**
   * Each endpoint's guard (its circuit state), bounded: a tenant naming ever new addresses must not
   * grow it without end. Forgetting a guard forgets its circuit, which then starts closed.
   */
  private final Cache<String, EndpointGuard> guards =
      Caffeine.newBuilder()
          .maximumSize(MAX_ENDPOINTS)
          .expireAfterAccess(Duration.ofHours(1))
          .executor(Runnable::run)
          .build();

  // Volatile: a reloaded configuration may change the endpoint protections.
  private volatile ResilienceSettings resilience;

  /**
   * Identities that mounted successfully of late, whose objects or backend credentials may be
   * cached: a later mount of one is answered only if its token passes the local checks first (a
   * cached answer never reaches the backend that would verify the token).
   */
  private final Cache<IdentityKey, Boolean> servedIdentities =
      Caffeine.newBuilder()
          .maximumSize(MAX_SERVED_IDENTITIES)
          .expireAfterAccess(SERVED_FOR)
          .executor(Runnable::run)
          .build();

  private final Clock clock;
  private final FetchScheduler scheduler;
  private final ScheduledExecutorService timers;

  /** An engine with the real clock and background polling. */
  public MountEngine(SecretBackend backend, EngineSettings settings, FetchEvents events) {
    this(backend, settings, events, Ticker.systemTicker(), Clock.systemUTC(), true);
  }

  /**
   * @param ticker the cache's time source (a fake one lets tests step through poll intervals)
   * @param poll whether to run the rotation poller on a timer; tests call {@link #refreshDue()}
   */
  MountEngine(
      SecretBackend backend,
      EngineSettings settings,
      FetchEvents events,
      Ticker ticker,
      Clock clock,
      boolean poll) {
    this.backend = backend;
    this.settings = settings;
    this.rules = new MountRules(settings.limits());
    this.resilience = settings.resilience();
    this.events = events;
    this.cache = new ObjectCache(backend.name(), settings.cache(), ticker, clock, events);
    this.clock = clock;
    int threads = settings.fetchConcurrency();
    this.scheduler =
        new FetchScheduler(
            "fetch-" + backend.name(),
            threads,
            resilience.maxConcurrentPerEndpoint(),
            threads * QUEUE_PER_THREAD);
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(1, new NamedThreads("engine-timer-" + backend.name()));
    scheduler.setRemoveOnCancelPolicy(true);
    this.timers = scheduler;
    if (poll) {
      long tick = Math.max(100, Math.min(5_000, settings.cache().pollInterval().toMillis() / 4));
      timers.scheduleWithFixedDelay(this::pollSafely, tick, tick, TimeUnit.MILLISECONDS);
    }
  }

  /** The backend this engine mounts from. */
  public SecretBackend backend() {
    return backend;
  }

  /** Bytes the cached objects count against {@code --cache-max-bytes}, for the cache gauges. */
  public long cachedBytes() {
    return cache.weightedBytes();
  }

  /**
   * Mounts one request, waiting for it; the sync controller's way.
   *
   * @param callerBudget the time the caller still allows (its gRPC deadline), or null for none; the
   *     mount gets the smaller of it and the configured mount timeout
   * @throws ProviderException for every failure, with a message safe for pod events
   */
  public MountResult mount(MountRequestContext request, @Nullable Duration callerBudget) {
    CompletableFuture<MountResult> mounting = mountAsync(request, callerBudget);
    try {
      return mounting.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(ErrorKind.CANCELLED, "the mount was cancelled by the caller");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure
          ? failure
          : asProviderException(e.getCause());
    }
  }

  /**
   * Mounts one request without holding the caller's thread while the objects are fetched: the plan
   * and the checks run on the calling thread, the result arrives when the last object does (or the
   * deadline passes).
   *
   * @throws ProviderException for a bad request, before anything is fetched; later failures
   *     complete the future
   */
  public CompletableFuture<MountResult> mountAsync(
      MountRequestContext request, @Nullable Duration callerBudget) {
    Duration budget = settings.limits().mountTimeout();
    if (callerBudget != null && callerBudget.compareTo(budget) < 0) {
      budget = callerBudget;
    }
    long deadline = System.nanoTime() + budget.toNanos();
    MountPlan<?> plan = backend.plan(request);
    rules.checkPlan(plan);
    if (servedIdentities.getIfPresent(plan.identity()) != null) {
      request.requireLocallyValidTokens(clock.instant());
    }
    return fetchAll(plan, deadline, budget)
        .thenApply(
            result -> {
              servedIdentities.put(plan.identity(), Boolean.TRUE);
              return result;
            });
  }

  private <S> CompletableFuture<MountResult> fetchAll(
      MountPlan<S> plan, long deadline, Duration budget) {
    EndpointGuard guard = guards.get(plan.endpoint(), this::newGuard);
    List<PlannedObject<S>> objects = plan.objects();
    List<CompletableFuture<ServedObject>> futures = new ArrayList<>(objects.size());
    for (PlannedObject<S> object : objects) {
      ObjectCache.Key key =
          new ObjectCache.Key(plan.identity(), object.spec(), object.path(), object.mode());
      futures.add(
          cache.get(key, object.id(), () -> load(guard, plan.identity(), plan.fetcher(), object)));
    }
    CompletableFuture<MountResult> result = new CompletableFuture<>();
    AtomicBoolean settled = new AtomicBoolean();
    Runnable settle =
        () -> {
          if (settled.compareAndSet(false, true)) {
            try {
              result.complete(collect(plan, futures, budget));
            } catch (RuntimeException e) {
              result.completeExceptionally(e);
            }
          }
        };
    CompletableFuture<Void> all =
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    if (all.isDone()) {
      settle.run();
      return result;
    }
    // Whatever is not there at the deadline fails as timed out; the shared calls go on for other
    // mounts and the cache, under their own time limit.
    ScheduledFuture<?> timer =
        timers.schedule(settle, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    all.whenComplete(
        (value, failure) -> {
          timer.cancel(false);
          settle.run();
        });
    return result;
  }

  /** The mount's outcome from its objects' futures: all fetched, or every failure combined. */
  private <S> MountResult collect(
      MountPlan<S> plan, List<CompletableFuture<ServedObject>> futures, Duration budget) {
    List<PlannedObject<S>> objects = plan.objects();
    List<ServedObject> fetched = new ArrayList<>(objects.size());
    List<Failures.Failure> failures = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      String ref = SafeText.element("objects", i, objects.get(i).id());
      CompletableFuture<ServedObject> future = futures.get(i);
      if (!future.isDone()) {
        failures.add(new Failures.Failure(ref, timedOut(budget)));
      } else if (future.isCompletedExceptionally()) {
        failures.add(new Failures.Failure(ref, asProviderException(causeOf(future))));
      } else {
        fetched.add(future.join());
      }
    }
    if (!failures.isEmpty()) {
      throw Failures.combine(failures, objects.size());
    }
    return rules.assemble(plan, fetched);
  }

  private static Throwable causeOf(CompletableFuture<?> failed) {
    try {
      failed.join();
      throw new IllegalStateException("not failed");
    } catch (CompletionException | CancellationException e) {
      return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
  }

  /**
   * Starts one backend call through the endpoint's guard, limited to the mount timeout: past it the
   * call is abandoned (dropped while it waits for a thread, interrupted while it runs), whoever
   * still waits for it.
   */
  private <S> CompletableFuture<FetchedObject> load(
      EndpointGuard guard,
      IdentityKey identity,
      ObjectFetcher<S> fetcher,
      PlannedObject<S> object) {
    Duration limit = settings.limits().mountTimeout();
    CompletableFuture<FetchedObject> result =
        guard.call(identity, () -> fetcher.fetch(object), System.nanoTime() + limit.toNanos());
    if (!result.isDone()) {
      ScheduledFuture<?> timer =
          timers.schedule(
              () -> result.completeExceptionally(timedOut(limit)),
              limit.toNanos(),
              TimeUnit.NANOSECONDS);
      result.whenComplete((value, failure) -> timer.cancel(false));
    }
    return result;
  }

  private EndpointGuard newGuard(String endpoint) {
    return new EndpointGuard(
        backend.name(), endpoint, resilience, scheduler, timers, events, System::nanoTime);
  }

  /**
   * Applies new cache settings (from a reloaded configuration file) without a restart. The poller's
   * tick stays as started (at most 5 s), which is fine-grained enough for any new interval.
   */
  public void updateCacheSettings(CacheSettings next) {
    cache.update(next);
  }

  /**
   * Applies new endpoint protections (from a reloaded configuration file): calls from now on go
   * through fresh guards with the new limits; calls in flight finish under the old ones. Circuit
   * state starts afresh, which at worst lets one more trial call through.
   */
  public void updateResilience(ResilienceSettings next) {
    resilience = next;
    scheduler.updatePerEndpoint(next.maxConcurrentPerEndpoint());
    guards.invalidateAll();
  }

  /** One pass of the rotation poller; the timer calls it, tests call it directly. */
  int refreshDue() {
    return cache.refreshDue();
  }

  /**
   * Background refreshes not yet settled; a test waits for none before stepping time past a
   * back-off.
   */
  long refreshesInFlight() {
    return cache.refreshesInFlight();
  }

  /** How many objects are cached (tests, and the cache gauges). */
  public long cachedObjects() {
    return cache.size();
  }

  private void pollSafely() {
    try {
      cache.refreshDue();
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue("exception", SafeThrowables.describe(e))
          .log("rotation poll failed");
    }
  }

  private static ProviderException timedOut(Duration budget) {
    return ProviderException.of(
        ErrorKind.DEADLINE_EXCEEDED,
        "not fetched within the mount deadline of " + Math.max(1, budget.toSeconds()) + "s");
  }

  private ProviderException asProviderException(@Nullable Throwable cause) {
    if (cause instanceof ProviderException provider) {
      return provider;
    }
    if (cause instanceof InterruptedException) {
      return ProviderException.of(ErrorKind.CANCELLED, "the fetch was cancelled");
    }
    LOG.atError()
        .addKeyValue("backend", backend.name())
        .addKeyValue("exception", SafeThrowables.describe(cause))
        .log("backend fetch failed with an unexpected exception");
    return ProviderException.of(
        ErrorKind.INTERNAL, "internal error in the " + backend.name() + " backend");
  }

  @Override
  public void close() {
    timers.shutdownNow();
    scheduler.close();
  }
}
