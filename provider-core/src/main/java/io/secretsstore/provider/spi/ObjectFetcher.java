// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;

/**
 * Fetches the objects of one plan. The engine calls it concurrently for several objects of the same
 * plan, each call on its own thread, and interrupts a call whose mount was cancelled or ran out of
 * time.
 *
 * @param <S> the backend's spec type
 */
@FunctionalInterface
public interface ObjectFetcher<S> {
  /**
   * Fetches one object.
   *
   * @throws ProviderException for every expected failure (not found, denied, throttled, ...); any
   *     other exception is treated as a bug and reported as INTERNAL
   * @throws InterruptedException when the mount was cancelled
   */
  FetchedObject fetch(PlannedObject<S> object) throws InterruptedException;

  /** The fetcher of a dry-run plan ({@link SecretBackend#startDryRun}): any call is a bug. */
  static <S> ObjectFetcher<S> dryRun() {
    return object -> {
      throw ProviderException.of(ErrorKind.INTERNAL, "a dry-run plan cannot fetch");
    };
  }
}
