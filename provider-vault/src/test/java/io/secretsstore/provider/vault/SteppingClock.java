// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real time plus an offset a test moves forward, so hours pass instantly but certificates issued
 * now stay comparable.
 */
final class SteppingClock extends Clock {
  private final AtomicLong offsetNanos = new AtomicLong();

  void advance(Duration duration) {
    offsetNanos.addAndGet(duration.toNanos());
  }

  @Override
  public Instant instant() {
    return Instant.now().plusNanos(offsetNanos.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
