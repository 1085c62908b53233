// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.ProviderException;
import io.secretsstore.provider.spi.SecretBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a mount: the backend's plan, core's rules, then every object fetched in parallel on a
 * bounded pool under one deadline. All or nothing: if any object fails, the mount fails and no
 * file is returned, so a rotation never leaves a pod with part of its secrets.
 */
public final class MountEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MountEngine.class);
  private static final int QUEUE_PER_THREAD = 256;

  private final SecretBackend backend;
  private final MountLimits limits;
  private final MountRules rules;
  private final ThreadPoolExecutor fetchPool;

  /**
   * @param fetchConcurrency how many backend fetches may run at once, across all mounts
   */
  public MountEngine(SecretBackend backend, MountLimits limits, int fetchConcurrency) {
    if (fetchConcurrency < 1) {
      throw new IllegalArgumentException("fetch concurrency must be at least 1");
    }
    this.backend = backend;
    this.limits = limits;
    this.rules = new MountRules(limits);
    this.fetchPool =
        new ThreadPoolExecutor(
            fetchConcurrency,
            fetchConcurrency,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(fetchConcurrency * QUEUE_PER_THREAD),
            new NamedThreads("fetch-" + backend.name()));
    fetchPool.allowCoreThreadTimeOut(true);
  }

  /** The backend this engine mounts from. */
  public SecretBackend backend() {
    return backend;
  }

  /**
   * Mounts one request.
   *
   * @param callerBudget the time the caller still allows (its gRPC deadline), or null for none;
   *     the mount gets the smaller of it and the configured mount timeout
   * @throws ProviderException for every failure, with a message safe for pod events
   */
  public MountResult mount(MountRequestContext request, Duration callerBudget) {
    Duration budget = limits.mountTimeout();
    if (callerBudget != null && callerBudget.compareTo(budget) < 0) {
      budget = callerBudget;
    }
    long deadline = System.nanoTime() + budget.toNanos();
    MountPlan<?> plan = backend.plan(request);
    rules.checkPlan(plan);
    return fetchAll(plan, deadline, budget);
  }

  private <S> MountResult fetchAll(MountPlan<S> plan, long deadline, Duration budget) {
    List<PlannedObject<S>> objects = plan.objects();
    List<Future<FetchedObject>> futures = new ArrayList<>(objects.size());
    try {
      for (PlannedObject<S> object : objects) {
        futures.add(fetchPool.submit(() -> plan.fetcher().fetch(object)));
      }
    } catch (RejectedExecutionException e) {
      cancel(futures);
      throw ProviderException.of(
          ErrorKind.RESOURCE_EXHAUSTED, "the provider is at its limit of queued fetches; try again later");
    }
    List<FetchedObject> fetched = new ArrayList<>(objects.size());
    List<Failures.Failure> failures = new ArrayList<>();
    try {
      for (int i = 0; i < futures.size(); i++) {
        String ref = SafeText.element("objects", i, objects.get(i).id());
        try {
          long remaining = Math.max(0, deadline - System.nanoTime());
          fetched.add(futures.get(i).get(remaining, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          failures.add(new Failures.Failure(ref, timedOut(budget)));
        } catch (ExecutionException e) {
          failures.add(new Failures.Failure(ref, asProviderException(e.getCause())));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(ErrorKind.CANCELLED, "the mount was cancelled by the caller");
    } finally {
      // Only unfinished work is left to cancel: on success every future is done.
      cancel(futures);
    }
    if (!failures.isEmpty()) {
      throw Failures.combine(failures, objects.size());
    }
    return rules.assemble(plan, fetched);
  }

  private static ProviderException timedOut(Duration budget) {
    return ProviderException.of(
        ErrorKind.DEADLINE_EXCEEDED, "not fetched within the mount deadline of " + budget.toSeconds() + "s");
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

  private static void cancel(List<Future<FetchedObject>> futures) {
    for (Future<FetchedObject> future : futures) {
      future.cancel(true);
    }
  }

  @Override
  public void close() {
    fetchPool.shutdownNow();
  }
}
