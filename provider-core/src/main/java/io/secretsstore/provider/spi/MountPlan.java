// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.spi;

import io.secretsstore.provider.credentials.IdentityKey;
import java.util.List;
import java.util.Objects;

/**
 * What a mount will fetch and with which identity. Built by {@link SecretBackend#plan} without any
 * I/O; the fetcher holds what it needs to authenticate (e.g. the pod token) and does its I/O only
 * when called.
 *
 * @param identity the identity every object is fetched with
 * @param endpoint the backend endpoint the objects are fetched from (address, region or vault
 *     name): concurrency limits, backoff and the circuit breaker apply per endpoint
 * @param objects the objects, in SecretProviderClass order
 * @param fetcher fetches one object of this plan
 * @param <S> the backend's spec type
 */
public record MountPlan<S>(
    IdentityKey identity,
    String endpoint,
    List<PlannedObject<S>> objects,
    ObjectFetcher<S> fetcher) {
  public MountPlan {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(endpoint, "endpoint");
    objects = List.copyOf(objects);
    Objects.requireNonNull(fetcher, "fetcher");
  }

  @Override
  public String toString() {
    return "MountPlan[identity="
        + identity
        + ", endpoint="
        + endpoint
        + ", objects="
        + objects.size()
        + "]";
  }
}
