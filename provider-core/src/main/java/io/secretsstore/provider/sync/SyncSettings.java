// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the SecretSync controller runs.
 *
 * @param pod the controller pod's name and UID, sent as the mount's pod
 * @param audiences the audiences of the tokens minted for {@code spec.serviceAccountName}
 * @param tokenTtl the lifetime requested for those tokens
 * @param pollInterval how often every SecretSync is re-synced; zero disables polling
 * @param workers SecretSyncs synced at once
 * @param retryBase the first retry delay after a failure, doubled per failure
 * @param retryMax the longest retry delay
 * @param controllerName only SecretSyncs naming this controller (spec.secretSyncControllerName), or
 *     every SecretSync when empty
 * @param providerName only SecretSyncs whose SecretProviderClass names this provider (its {@code
 *     spec.provider}), so the controllers of several backends in one cluster share the SecretSyncs
 * @param secretTypes the Secret types a SecretSync may ask for
 * @param ownerCheck how a Secret that is not the SecretSync's is kept from being written
 */
public record SyncSettings(
    SyncAttributes.ControllerPod pod,
    List<String> audiences,
    Duration tokenTtl,
    Duration pollInterval,
    int workers,
    Duration retryBase,
    Duration retryMax,
    String controllerName,
    String providerName,
    SecretTypePolicy secretTypes,
    SecretApplier.OwnerCheck ownerCheck) {
  public SyncSettings {
    Objects.requireNonNull(pod, "pod");
    audiences = List.copyOf(audiences);
    if (audiences.isEmpty()) {
      throw new IllegalArgumentException("--token-request-audience needs at least one audience");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be at least 1");
    }
    if (tokenTtl.compareTo(Duration.ofMinutes(10)) < 0) {
      throw new IllegalArgumentException(
          "--token-ttl must be at least 10m (the API server's minimum)");
    }
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("--rotation-poll-interval must not be negative");
    }
    Objects.requireNonNull(controllerName, "controllerName");
    Objects.requireNonNull(providerName, "providerName");
    Objects.requireNonNull(secretTypes, "secretTypes");
    Objects.requireNonNull(ownerCheck, "ownerCheck");
  }
}
