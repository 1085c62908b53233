// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import io.secretsstore.provider.driver.DriverRequestBuilder;
import io.secretsstore.provider.driver.PodSettings;
import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.driver.ServiceAccountTokenFiles;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.grpc.ProviderClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the MountRequest the driver sends for a pod of a load scenario, exactly as {@code mount}
 * does.
 */
final class PodMounts {
  private final Path dir;

  PodMounts(Path dir) {
    this.dir = dir;
  }

  /** The publish request of pod number {@code pod} running as the scenario's service account. */
  ProviderClient.MountCall publish(DemoScenario scenario, int pod) throws IOException {
    Map<String, Path> tokenFiles = new LinkedHashMap<>();
    for (Map.Entry<String, String> token : scenario.tokensByAudience().entrySet()) {
      Path file =
          dir.resolve(
              "token-"
                  + scenario.namespace()
                  + "-"
                  + scenario.serviceAccount()
                  + "-"
                  + token.getKey().replaceAll("[^A-Za-z0-9_.-]", "_"));
      Files.writeString(file, token.getValue());
      tokenFiles.put(token.getKey(), file);
    }
    PodSettings settings =
        new PodSettings(
            scenario.namespace(),
            "pod-" + pod,
            "uid-" + scenario.namespace() + "-" + pod,
            scenario.serviceAccount(),
            false,
            Map.of());
    return new DriverRequestBuilder(
            SecretProviderClassFile.parse(scenario.secretProviderClass()),
            settings,
            dir.resolve("pods/" + pod + "/mount"))
        .tokens(ServiceAccountTokenFiles.read(tokenFiles, Instant.now()), false)
        .publish()
        .toMountCall();
  }
}
