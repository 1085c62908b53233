// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.kube.SharedKubeClient;
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
 *     restart; a backend declares the ones it enforces in {@link BackendFactory#start}
 * @param kube the process's one Kubernetes client, created when first asked for; the process closes
 *     it, never a backend, and a backend asks for it only when a mount needs the cluster
 */
public record BackendContext(
    Clock clock,
    CredentialCache credentials,
    BackendCalls calls,
    AllowLists allowLists,
    SharedKubeClient kube) {
  public BackendContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(calls, "calls");
    Objects.requireNonNull(allowLists, "allowLists");
    Objects.requireNonNull(kube, "kube");
  }

  /** A context without a cluster (tests, dry runs). */
  public BackendContext(
      Clock clock, CredentialCache credentials, BackendCalls calls, AllowLists allowLists) {
    this(clock, credentials, calls, allowLists, SharedKubeClient.none());
  }

  /**
   * A context whose allow-lists come from flags only (no configuration file), without a cluster.
   */
  public BackendContext(Clock clock, CredentialCache credentials, BackendCalls calls) {
    this(clock, credentials, calls, new AllowLists());
  }

  /** A context whose calls are not recorded, without a cluster (tests, the demo, dry runs). */
  public BackendContext(Clock clock, CredentialCache credentials) {
    this(clock, credentials, BackendCalls.NONE, new AllowLists());
  }

  /** This context with another Kubernetes client (tests hand in their mock API server's). */
  public BackendContext withKube(SharedKubeClient client) {
    return new BackendContext(clock, credentials, calls, allowLists, client);
  }

  /**
   * A context with the system clock, a credential cache of 10,000 identities and the process's
   * Kubernetes client from the environment; the caller closes {@link #kube()} at process end.
   */
  public static BackendContext standard(BackendCalls calls) {
    Clock clock = Clock.systemUTC();
    return new BackendContext(
        clock,
        new CredentialCache(clock, 10_000),
        calls,
        new AllowLists(),
        SharedKubeClient.fromEnvironment());
  }
}
