// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.driver.DriverVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one conformance run needs.
 *
 * @param socket the provider's Unix socket
 * @param providerName the name the driver would look the socket up by, when given
 * @param driverVersions the driver releases whose requests are sent
 * @param validMount a SecretProviderClass the provider can mount, for the checks that need one
 * @param timeout the deadline of each Mount (kubelet's is about 2 minutes)
 */
public record ConformanceSettings(
    Path socket,
    Optional<String> providerName,
    List<DriverVersion> driverVersions,
    Optional<ValidMount> validMount,
    Duration timeout) {
  public ConformanceSettings {
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(providerName, "providerName");
    driverVersions = List.copyOf(driverVersions);
    if (driverVersions.isEmpty()) {
      throw new IllegalArgumentException("at least one driver version");
    }
    Objects.requireNonNull(validMount, "validMount");
    Objects.requireNonNull(timeout, "timeout");
  }
}
