// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.driver.DriverRequestBuilder;
import io.secretsstore.provider.driver.NodePublishSecretFile;
import io.secretsstore.provider.driver.PodSettings;
import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.driver.ServiceAccountTokenFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A mount the provider should accept: the SecretProviderClass, the pod, its tokens (files by
 * audience, as {@code mount --token} takes them) and the nodePublishSecretRef, if any. Builds the
 * requests the checks vary.
 *
 * @param spc the SecretProviderClass
 * @param pod the pod and volume
 * @param tokenFiles token file by audience; empty when the CSIDriver would have no tokenRequests
 * @param nodePublishSecret the nodePublishSecretRef Secret, when the volume has one
 */
public record ValidMount(
    SecretProviderClassFile spc,
    PodSettings pod,
    Map<String, Path> tokenFiles,
    Optional<NodePublishSecretFile> nodePublishSecret) {
  public ValidMount {
    Objects.requireNonNull(spc, "spc");
    Objects.requireNonNull(pod, "pod");
    tokenFiles = Map.copyOf(tokenFiles);
    Objects.requireNonNull(nodePublishSecret, "nodePublishSecret");
  }

  /** A request builder as the driver has it for this pod, mounting into {@code target}. */
  DriverRequestBuilder builder(Path target) {
    return builder(pod, target, tokenFiles, false);
  }

  /** The same with other pod settings, token files or kubelet's tokens-in-secrets mode. */
  DriverRequestBuilder builder(
      PodSettings podSettings, Path target, Map<String, Path> tokens, boolean tokensInSecrets) {
    DriverRequestBuilder builder = new DriverRequestBuilder(spc, podSettings, target);
    if (!tokens.isEmpty()) {
      builder.tokens(ServiceAccountTokenFiles.read(tokens, Instant.now()), tokensInSecrets);
    }
    nodePublishSecret.ifPresent(builder::nodePublishSecret);
    return builder;
  }

  /** The token files plus one more audience. */
  Map<String, Path> tokenFilesWith(String audience, Path file) {
    Map<String, Path> more = new LinkedHashMap<>(tokenFiles);
    more.put(audience, file);
    return more;
  }
}
