// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.mount.ErrorKind;
import java.time.Duration;

/**
 * What the mount engine tells metrics about. Every label is a backend name or an outcome: never an
 * object name, a path or an error text.
 */
public interface FetchEvents {
  /** Reports nothing. */
  FetchEvents NONE = new FetchEvents() {};

  /** A mount's object was served from the cache. */
  default void cacheHit(String backend) {}

  /** A mount's object was not cached and a backend call started. */
  default void cacheMiss(String backend) {}

  /** A mount's object joined a backend call already in flight for the same key. */
  default void singleFlightJoin(String backend) {}

  /** An entry left the cache: idle, stale, or over the size bound. */
  default void cacheEviction(String backend) {}

  /**
   * One call to the backend ended.
   *
   * @param outcome {@code OK} or the error kind's name
   */
  default void backendCall(String backend, String outcome, Duration duration) {}

  /** A background refresh found new content. */
  default void rotationDetected(String backend) {}

  /** The backend throttled a call. */
  default void throttled(String backend) {}

  /** The circuit of an endpoint opened after repeated failures of this kind. */
  default void circuitOpened(String backend, ErrorKind kind) {}
}
