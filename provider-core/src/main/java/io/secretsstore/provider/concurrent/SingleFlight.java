// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * One call per key at a time: a caller that finds a call for its key running waits for that call's
 * result (or failure) instead of making its own; callers for other keys never wait.
 *
 * <p>Not a cache's {@code compute}: that runs the call under the lock of the map's bin, so keys
 * that share a bin wait for each other's calls, and a hung call (a login, an API GET) holds them
 * all until its timeout.
 *
 * @param <K> the key
 * @param <V> the result
 */
public final class SingleFlight<K, V> {
  /** Calls in flight; an entry is removed when its call ends, so bounded by the calls running. */
  private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

  /**
   * The result of {@code call} for {@code key}, made here or by the caller already running it.
   *
   * @throws InterruptedException when the thread is interrupted while it waits for another caller's
   *     call
   * @throws RuntimeException or {@link Error}: the call's own failure, the same for every caller
   *     that waited for it
   */
  public V run(K key, Supplier<V> call) throws InterruptedException {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> other = running.putIfAbsent(key, mine);
    if (other != null) {
      return await(other);
    }
    try {
      V value = call.get();
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      running.remove(key, mine);
    }
  }

  /** Calls running now, for tests. */
  public int running() {
    return running.size();
  }

  private static <V> V await(CompletableFuture<V> other) throws InterruptedException {
    try {
      return other.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("the call failed", e.getCause());
    }
  }
}
