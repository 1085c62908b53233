// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.credentials.CredentialCache;
import java.time.Clock;
import java.util.Objects;

/**
 * What the process offers a backend when it starts.
 *
 * @param clock the clock for token expiry and cache ages (a fixed one in tests)
 * @param credentials the process-wide cache of credentials derived from pod tokens, keyed by
 *     identity; backends log in through it so one identity logs in once
 * @param calls where the backend reports each call to its cloud, for per-operation metrics
 * @param allowLists the operator's allow-lists from the configuration file, reloaded without a
 *     restart; a backend declares the ones it enforces in {@link SecretBackend#start}
 */
public record BackendContext(Clock clock, CredentialCache credentials, BackendCalls calls, AllowLists allowLists) {
  public BackendContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(calls, "calls");
    Objects.requireNonNull(allowLists, "allowLists");
  }

  /** A context whose allow-lists come from flags only (no configuration file). */
  public BackendContext(Clock clock, CredentialCache credentials, BackendCalls calls) {
    this(clock, credentials, calls, new AllowLists());
  }

  /** A context whose calls are not recorded (tests, the demo). */
  public BackendContext(Clock clock, CredentialCache credentials) {
    this(clock, credentials, BackendCalls.NONE, new AllowLists());
  }

  /** A context with the system clock and a credential cache of 10,000 identities. */
  public static BackendContext standard(BackendCalls calls) {
    Clock clock = Clock.systemUTC();
    return new BackendContext(clock, new CredentialCache(clock, 10_000), calls, new AllowLists());
  }
}
