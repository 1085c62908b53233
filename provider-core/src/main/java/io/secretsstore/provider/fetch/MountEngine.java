// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import com.github.benmanes.caffeine.cache.Ticker;
import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.ObjectFetcher;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.ProviderException;
import io.secretsstore.provider.spi.SecretBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a mount: the backend's plan, core's rules, then every object fetched in parallel through the
 * shared cache under one deadline. All or nothing: if any object fails, the mount fails and no file
 * is returned, so a rotation never leaves a pod with part of its secrets.
 *
 * <p>Backend calls go through the {@link ObjectCache} (one call per (identity, object) in flight,
 * answers from cache while fresh, background refresh once per poll interval) and an {@link
 * EndpointGuard} per endpoint (concurrency limit, backoff, circuit breaker), on a bounded pool.
 */
public final class MountEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MountEngine.class);
  private static final int QUEUE_PER_THREAD = 256;

  private final SecretBackend backend;
  private final EngineSettings settings;
  private final MountRules rules;
  private final FetchEvents events;
  private final ObjectCache cache;
  private final Map<String, EndpointGuard> guards = new ConcurrentHashMap<>();
  // Volatile: a reloaded configuration may change the endpoint protections.
  private volatile ResilienceSettings resilience;
  private final ThreadPoolExecutor fetchPool;
  private final ScheduledExecutorService timers;

  /** An engine with the real clock and background polling. */
  public MountEngine(SecretBackend backend, EngineSettings settings, FetchEvents events) {
    this(backend, settings, events, Ticker.systemTicker(), Clock.systemUTC(), true);
  }

  /**
   * @param ticker the cache's time source (a fake one lets tests step through poll intervals)
   * @param poll whether to run the rotation poller on a timer; tests call {@link #refreshDue()}
   */
  MountEngine(SecretBackend backend, EngineSettings settings, FetchEvents events, Ticker ticker, Clock clock, boolean poll) {
    this.backend = backend;
    this.settings = settings;
    this.rules = new MountRules(settings.limits());
    this.resilience = settings.resilience();
    this.events = events;
    this.cache = new ObjectCache(backend.name(), settings.cache(), ticker, clock, events);
    int threads = settings.fetchConcurrency();
    this.fetchPool =
        new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD), new NamedThreads("fetch-" + backend.name()));
    fetchPool.allowCoreThreadTimeOut(true);
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, new NamedThreads("engine-timer-" + backend.name()));
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
   * Mounts one request.
   *
   * @param callerBudget the time the caller still allows (its gRPC deadline), or null for none;
   *     the mount gets the smaller of it and the configured mount timeout
   * @throws ProviderException for every failure, with a message safe for pod events
   */
  public MountResult mount(MountRequestContext request, Duration callerBudget) {
    Duration budget = settings.limits().mountTimeout();
    if (callerBudget != null && callerBudget.compareTo(budget) < 0) {
      budget = callerBudget;
    }
    long deadline = System.nanoTime() + budget.toNanos();
    MountPlan<?> plan = backend.plan(request);
    rules.checkPlan(plan);
    return fetchAll(plan, deadline, budget);
  }

  private <S> MountResult fetchAll(MountPlan<S> plan, long deadline, Duration budget) {
    EndpointGuard guard =
        guards.computeIfAbsent(plan.endpoint(), e -> new EndpointGuard(backend.name(), resilience, events, System::nanoTime));
    List<PlannedObject<S>> objects = plan.objects();
    List<CompletableFuture<ServedObject>> futures = new ArrayList<>(objects.size());
    for (PlannedObject<S> object : objects) {
      ObjectCache.Key key = new ObjectCache.Key(plan.identity(), object.spec(), object.path(), object.mode());
      futures.add(cache.get(key, object.id(), () -> load(guard, plan.fetcher(), object)));
    }
    List<ServedObject> fetched = new ArrayList<>(objects.size());
    List<Failures.Failure> failures = new ArrayList<>();
    try {
      for (int i = 0; i < futures.size(); i++) {
        String ref = SafeText.element("objects", i, objects.get(i).id());
        try {
          long remaining = Math.max(0, deadline - System.nanoTime());
          fetched.add(futures.get(i).get(remaining, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          // The shared call goes on for other mounts and the cache; it has its own time limit.
          failures.add(new Failures.Failure(ref, timedOut(budget)));
        } catch (ExecutionException e) {
          failures.add(new Failures.Failure(ref, asProviderException(e.getCause())));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(ErrorKind.CANCELLED, "the mount was cancelled by the caller");
    }
    if (!failures.isEmpty()) {
      throw Failures.combine(failures, objects.size());
    }
    return rules.assemble(plan, fetched);
  }

  /**
   * Starts one backend call on the fetch pool, through the endpoint's guard, limited to the mount
   * timeout: past it the call is interrupted, whoever still waits for it.
   */
  private <S> CompletableFuture<FetchedObject> load(EndpointGuard guard, ObjectFetcher<S> fetcher, PlannedObject<S> object) {
    Duration limit = settings.limits().mountTimeout();
    long deadline = System.nanoTime() + limit.toNanos();
    CompletableFuture<FetchedObject> result = new CompletableFuture<>();
    Future<?> task;
    try {
      task = fetchPool.submit(() -> {
        try {
          result.complete(guard.call(() -> fetcher.fetch(object), deadline));
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(ProviderException.of(
          ErrorKind.RESOURCE_EXHAUSTED, "the provider is at its limit of queued fetches; try again later"));
      return result;
    }
    ScheduledFuture<?> timer = timers.schedule(() -> {
      if (result.completeExceptionally(timedOut(limit))) {
        task.cancel(true);
      }
    }, limit.toNanos(), TimeUnit.NANOSECONDS);
    result.whenComplete((value, failure) -> timer.cancel(false));
    return result;
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
    guards.clear();
  }

  /** One pass of the rotation poller; the timer calls it, tests call it directly. */
  int refreshDue() {
    return cache.refreshDue();
  }

  /** Background refreshes not yet settled; a test waits for none before stepping time past a back-off. */
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
      LOG.atError().addKeyValue("exception", SafeThrowables.describe(e)).log("rotation poll failed");
    }
  }

  private static ProviderException timedOut(Duration budget) {
    return ProviderException.of(
        ErrorKind.DEADLINE_EXCEEDED, "not fetched within the mount deadline of " + Math.max(1, budget.toSeconds()) + "s");
  }

  private ProviderException asProviderException(Throwable cause) {
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
    return ProviderException.of(ErrorKind.INTERNAL, "internal error in the " + backend.name() + " backend");
  }

  @Override
  public void close() {
    timers.shutdownNow();
    fetchPool.shutdownNow();
  }
}
