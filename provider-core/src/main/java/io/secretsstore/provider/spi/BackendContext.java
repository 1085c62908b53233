// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import java.time.Clock;
import java.util.Objects;

/**
 * What the process offers a backend when it starts.
 *
 * @param clock the clock for token expiry and cache ages (a fixed one in tests)
 */
public record BackendContext(Clock clock) {
  public BackendContext {
    Objects.requireNonNull(clock, "clock");
  }
}
