// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.mount.ProviderException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One plan's reads in batches of at most {@code size} (upstream's GetParameters batches of 10,
 * BatchGetSecretValue's 20), where the engine's parallel fetches of one batch share one call: the
 * first read of a batch makes it, the others wait for its answer. The engine keeps the fetcher to
 * refresh cached objects later, so an answer serves each key once and only while it is recent: a
 * later refresh of a key makes a new call, and a rotated value appears at the next poll. (Reads of
 * one mount may queue behind the engine's concurrency limit, so "recent" is generous.)
 *
 * @param <K> what one read asks for
 * @param <R> one call's answer
 */
final class SharedBatches<K, R> {
  private static final long SHARE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final List<List<K>> batches = new ArrayList<>();
  private final Map<K, Integer> batchOf = new HashMap<>();
  private final Map<Integer, Call<R>> calls = new ConcurrentHashMap<>();

  /** One batch call, when it started, and the keys it has served. */
  private record Call<R>(long startedNanos, CompletableFuture<R> result, Set<Object> served) {
    /** Whether the key may take its value from this call, which then counts it as served. */
    boolean serve(Object key) {
      return System.nanoTime() - startedNanos < SHARE_WINDOW_NANOS && served.add(key);
    }
  }

  /** Groups the keys in order, without repeats. */
  SharedBatches(List<K> keys, int size) {
    for (K key : keys) {
      if (!batchOf.containsKey(key)) {
        if (batches.isEmpty() || batches.get(batches.size() - 1).size() == size) {
          batches.add(new ArrayList<>());
        }
        batches.get(batches.size() - 1).add(key);
        batchOf.put(key, batches.size() - 1);
      }
    }
  }

  /** Whether the key shares a batch with another one (a batch of one is better read on its own). */
  boolean batched(K key) {
    Integer batch = batchOf.get(key);
    return batch != null && batches.get(batch).size() > 1;
  }

  /**
   * The answer of the key's batch, from the call this moment's reads share. Only for {@link
   * #batched} keys.
   */
  R answer(K key, Function<List<K>, R> call) {
    int batch = batchOf.get(key);
    Call<R> mine =
        new Call<>(System.nanoTime(), new CompletableFuture<>(), new HashSet<>(Set.of(key)));
    // compute() runs under the map's lock for this batch, so serve() needs no lock of its own.
    Call<R> shared =
        calls.compute(
            batch, (index, current) -> current != null && current.serve(key) ? current : mine);
    if (shared == mine) {
      try {
        mine.result().complete(call.apply(batches.get(batch)));
      } catch (RuntimeException e) {
        mine.result().completeExceptionally(e);
      }
    }
    try {
      return shared.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ProviderException failure) {
        // A copy, so each waiter's stack is its own.
        throw ProviderException.of(failure.kind(), failure.getMessage());
      }
      throw e;
    }
  }
}
