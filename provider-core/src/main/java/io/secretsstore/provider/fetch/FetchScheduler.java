// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs backend calls on the fetch pool, fairly: a call gets a pool thread only while its identity
 * holds fewer than its share of threads and its endpoint fewer than the endpoint's limit. Until
 * then it waits in its identity's queue, holding no thread, and queues are served round robin, so
 * one tenant's slow or hanging objects (or a mount of hundreds of them) delay that tenant alone.
 *
 * <p>The share is work-conserving with a reserve: an identity alone in the queues may hold three
 * quarters of the limit (12 of the default 16, so the 10 objects of a typical mount go out in one
 * round), and while another identity waits it is started only up to half. A running call cannot be
 * taken back, so the quarter that an identity alone never takes is what a newly arriving tenant
 * starts on at once, even when the first one's calls hang.
 *
 * <p>The bookkeeping is bounded by the work in progress: counters are dropped when they reach zero,
 * queues when they empty, and at most {@link #maxWaiting} calls wait in all.
 */
final class FetchScheduler implements AutoCloseable {
  private final ThreadPoolExecutor pool;
  private final int threads;
  private final int maxWaiting;
  private int perEndpoint;
  private int running;
  private int waiting;
  private boolean closed;
  private final Map<String, Integer> runningByEndpoint = new HashMap<>();
  private final Map<IdentityKey, Integer> runningByIdentity = new HashMap<>();

  /** Each identity's waiting calls; iteration order is the round-robin order. */
  private final LinkedHashMap<IdentityKey, ArrayDeque<Task>> queues = new LinkedHashMap<>();

  /**
   * @param name names the pool's threads
   * @param threads backend calls running at once in all
   * @param perEndpoint backend calls running at once per endpoint
   * @param maxWaiting calls that may wait for a thread in all; more are refused
   */
  FetchScheduler(String name, int threads, int perEndpoint, int maxWaiting) {
    this.threads = threads;
    this.perEndpoint = perEndpoint;
    this.maxWaiting = maxWaiting;
    // Never more tasks than threads are handed to the pool, so its queue stays (nearly) empty.
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new NamedThreads(name));
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * The threads one identity may hold while another identity waits: half of what its endpoint or
   * the pool allows, so that at least as much stays for every other tenant.
   */
  synchronized int perIdentity() {
    return Math.max(1, limit() / 2);
  }

  /**
   * The threads one identity may hold while no other identity waits: all that its endpoint or the
   * pool allows but a quarter (at least one), kept free for a tenant that arrives meanwhile.
   */
  synchronized int perIdentityAlone() {
    return Math.max(perIdentity(), limit() - Math.max(1, limit() / 4));
  }

  private int limit() {
    return Math.min(perEndpoint, threads);
  }

  /**
   * Applies a new per-endpoint limit (from a reloaded configuration) to calls started from now on.
   */
  synchronized void updatePerEndpoint(int limit) {
    perEndpoint = limit;
    dispatch();
  }

  /**
   * Runs {@code body} on a pool thread when the identity's and the endpoint's shares allow.
   *
   * @param abandoned checked just before the body would start: true skips it (its caller stopped
   *     waiting)
   * @throws ProviderException RESOURCE_EXHAUSTED when too many calls wait already
   */
  synchronized void submit(
      IdentityKey identity, String endpoint, BooleanSupplier abandoned, Runnable body) {
    if (closed) {
      throw ProviderException.of(ErrorKind.UNAVAILABLE, "the provider is shutting down");
    }
    if (waiting >= maxWaiting) {
      throw ProviderException.of(
          ErrorKind.RESOURCE_EXHAUSTED,
          "the provider is at its limit of queued fetches; try again later");
    }
    queues
        .computeIfAbsent(identity, k -> new ArrayDeque<>())
        .add(new Task(identity, endpoint, abandoned, body));
    waiting++;
    dispatch();
  }

  /** Calls waiting for a thread, for tests. */
  synchronized int waiting() {
    return waiting;
  }

  /** Starts waiting calls, round robin across identities, while threads and shares allow. */
  private void dispatch() {
    if (closed) {
      // The pool refuses new tasks now; a call finishing after close must not try to start one.
      return;
    }
    int contested = perIdentity();
    int alone = perIdentityAlone();
    boolean started = true;
    while (running < threads && started) {
      started = false;
      Iterator<Map.Entry<IdentityKey, ArrayDeque<Task>>> it = queues.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<IdentityKey, ArrayDeque<Task>> entry = it.next();
        ArrayDeque<Task> queue = entry.getValue();
        while (!queue.isEmpty() && queue.peek().abandoned.getAsBoolean()) {
          queue.poll();
          waiting--;
        }
        if (queue.isEmpty()) {
          it.remove();
          continue;
        }
        Task task = queue.peek();
        // Any other queue means another identity is waiting (empty queues are removed above or
        // hold only abandoned calls, which cost this round one call at most).
        int share = queues.size() > 1 ? contested : alone;
        if (runningByIdentity.getOrDefault(task.identity, 0) < share
            && runningByEndpoint.getOrDefault(task.endpoint, 0) < perEndpoint) {
          queue.poll();
          waiting--;
          start(task);
          started = true;
          // The identity goes to the back of the round; the round starts over.
          it.remove();
          if (!queue.isEmpty()) {
            queues.put(entry.getKey(), queue);
          }
          break;
        }
      }
    }
  }

  private void start(Task task) {
    running++;
    runningByIdentity.merge(task.identity, 1, Integer::sum);
    runningByEndpoint.merge(task.endpoint, 1, Integer::sum);
    pool.execute(
        () -> {
          try {
            task.body.run();
          } finally {
            finished(task);
          }
        });
  }

  private synchronized void finished(Task task) {
    running--;
    runningByIdentity.computeIfPresent(task.identity, (k, n) -> n == 1 ? null : n - 1);
    runningByEndpoint.computeIfPresent(task.endpoint, (k, n) -> n == 1 ? null : n - 1);
    dispatch();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      queues.clear();
      waiting = 0;
    }
    pool.shutdownNow();
  }

  private record Task(
      IdentityKey identity, String endpoint, BooleanSupplier abandoned, Runnable body) {}
}
