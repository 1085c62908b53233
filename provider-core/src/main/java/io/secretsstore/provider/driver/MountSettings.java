// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one emulated mount needs, as given on the command line.
 *
 * @param socket the provider's Unix socket
 * @param spcFile the SecretProviderClass manifest
 * @param target the directory to mount into (created if missing)
 * @param pod the pod and volume
 * @param tokenFiles token file by audience; empty when the CSIDriver has no tokenRequests
 * @param tokensInSecrets kubelet's serviceAccountTokenInSecrets mode
 * @param nodePublishSecretFile the nodePublishSecretRef Secret manifest, if any
 * @param driverVersion the driver release to emulate
 * @param timeout the deadline of the call (kubelet's)
 * @param showContents whether to print the files' contents
 */
public record MountSettings(
    Path socket,
    Path spcFile,
    Path target,
    PodSettings pod,
    Map<String, Path> tokenFiles,
    boolean tokensInSecrets,
    Optional<Path> nodePublishSecretFile,
    DriverVersion driverVersion,
    Duration timeout,
    boolean showContents) {
  public MountSettings {
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(spcFile, "spcFile");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(pod, "pod");
    tokenFiles = Map.copyOf(tokenFiles);
    Objects.requireNonNull(nodePublishSecretFile, "nodePublishSecretFile");
    Objects.requireNonNull(driverVersion, "driverVersion");
    Objects.requireNonNull(timeout, "timeout");
  }
}
