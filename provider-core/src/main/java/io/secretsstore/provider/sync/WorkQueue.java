// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import io.secretsstore.provider.concurrent.NamedThreads;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A work queue of keys with client-go's guarantees: a key waiting is queued once however often it
 * is added; a key is worked on by one worker at a time, and one added while being worked on is
 * queued again when that work is {@link #done}; failures are retried after a per-key exponential
 * backoff that {@link #forget} resets.
 */
public final class WorkQueue implements AutoCloseable {
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Deque<String> queue = new ArrayDeque<>();
  private final Set<String> dirty = new HashSet<>();
  private final Set<String> processing = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(new NamedThreads("sync-queue-timer"));
  private boolean shutDown;

  public WorkQueue(Duration baseDelay, Duration maxDelay) {
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
  }

  /** Queues a key unless it is already waiting. */
  public synchronized void add(String key) {
    if (shutDown || !dirty.add(key)) {
      return;
    }
    if (!processing.contains(key)) {
      queue.addLast(key);
      notifyAll();
    }
  }

  /** Queues a key after a delay. */
  public void addAfter(String key, Duration delay) {
    synchronized (this) {
      if (shutDown) {
        return;
      }
    }
    timers.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Queues a key after its next backoff: base, 2 x base, 4 x base ... up to the maximum. */
  public void addRateLimited(String key) {
    int attempt;
    synchronized (this) {
      attempt = failures.merge(key, 1, Integer::sum);
    }
    addAfter(key, backoff(attempt));
  }

  /** The delay before retry number {@code attempt} (1 for the first). */
  Duration backoff(int attempt) {
    int shift = Math.min(attempt - 1, 30);
    Duration delay = baseDelay.multipliedBy(1L << shift);
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }

  /** Failures counted for a key since it last succeeded. */
  public synchronized int failures(String key) {
    return failures.getOrDefault(key, 0);
  }

  /** Resets a key's backoff after it succeeded (or will not be retried). */
  public synchronized void forget(String key) {
    failures.remove(key);
  }

  /** The next key, waiting for one; empty once the queue is shut down. */
  public synchronized Optional<String> take() throws InterruptedException {
    while (queue.isEmpty() && !shutDown) {
      wait();
    }
    if (shutDown) {
      return Optional.empty();
    }
    String key = queue.removeFirst();
    dirty.remove(key);
    processing.add(key);
    return Optional.of(key);
  }

  /** Marks a taken key finished; queues it again if it was added meanwhile. */
  public synchronized void done(String key) {
    processing.remove(key);
    if (dirty.contains(key) && !shutDown) {
      queue.addLast(key);
      notifyAll();
    }
  }

  /** Keys waiting now (not counting those being worked on). */
  public synchronized int length() {
    return queue.size();
  }

  /** Wakes every worker with nothing; pending delayed adds are dropped. */
  @Override
  public void close() {
    synchronized (this) {
      shutDown = true;
      notifyAll();
    }
    timers.shutdownNow();
  }
}
