// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ProviderException;
import java.util.Optional;

/**
 * A started backend: what the engine mounts from. Its {@link BackendFactory} builds it complete, so
 * every field of an implementation is final and set, and nothing here checks whether it has
 * started. The name stays with this side of the split, not the factory's, because everything past
 * start-up (the engine, the gRPC runtime, readiness, the migration check) holds one of these.
 *
 * <p>Core owns everything that is the same for every backend: request parsing, path and mode rules,
 * object and size caps, parallel fetching under a deadline, all-or-nothing, and the mapping of
 * errors to gRPC codes. A backend only parses its parameters and fetches objects.
 */
public interface SecretBackend extends AutoCloseable {

  /** The name used by {@code --backend} and in {@code runtime_name}, e.g. {@code vault}. */
  String name();

  /**
   * Parses the SecretProviderClass parameters of one request into a plan. Pure: no network, no
   * files. Errors are {@link ProviderException}s of kind INVALID_ARGUMENT naming the parameter, or
   * UNAUTHENTICATED when the pod token the backend needs is missing or expired.
   */
  MountPlan<?> plan(MountRequestContext request);

  /**
   * Why the backend cannot serve mounts right now (its endpoint unreachable, probe credentials not
   * obtainable), or empty when it can. Backs {@code /readyz}; called at most every few seconds, so
   * it may make one cheap call (a health endpoint). The reason is shown to anyone who can reach the
   * health port: no addresses' credentials, no tokens.
   */
  default Optional<String> readinessProblem() {
    return Optional.empty();
  }

  /** Releases what start opened; the process's Kubernetes client is not the backend's to close. */
  @Override
  default void close() {}
}
