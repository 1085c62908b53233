// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import io.secretsstore.provider.mount.ErrorKind;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the engine's events. */
final class RecordingEvents implements FetchEvents {
  final AtomicInteger hits = new AtomicInteger();
  final AtomicInteger misses = new AtomicInteger();
  final AtomicInteger joins = new AtomicInteger();
  final AtomicInteger evictions = new AtomicInteger();
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger rotations = new AtomicInteger();
  final AtomicInteger throttled = new AtomicInteger();
  final AtomicInteger circuits = new AtomicInteger();

  @Override
  public void cacheHit(String backend) {
    hits.incrementAndGet();
  }

  @Override
  public void cacheMiss(String backend) {
    misses.incrementAndGet();
  }

  @Override
  public void singleFlightJoin(String backend) {
    joins.incrementAndGet();
  }

  @Override
  public void cacheEviction(String backend) {
    evictions.incrementAndGet();
  }

  @Override
  public void backendCall(String backend, String outcome, Duration duration) {
    calls.incrementAndGet();
  }

  @Override
  public void rotationDetected(String backend) {
    rotations.incrementAndGet();
  }

  @Override
  public void throttled(String backend) {
    throttled.incrementAndGet();
  }

  @Override
  public void circuitOpened(String backend, ErrorKind kind) {
    circuits.incrementAndGet();
  }
}
