// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load-test scenarios of the {@code vault} backend: KV v2 secrets {@code secret/load-<n>/obj-<i>}
 * (key {@code value}) and a role {@code load-<n>} bound to service accounts {@code sa-<j>} of
 * namespace {@code load-<n>}, audience {@code vault}; {@code n} counts the calls.
 */
final class VaultLoad {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private VaultLoad() {}

  static List<DemoScenario> seed(
      VaultEmulator vault, StartedEmulator started, int objects, int identities) {
    String run = "load-" + RUNS.incrementAndGet();
    StringBuilder spcObjects = new StringBuilder();
    for (int i = 0; i < objects; i++) {
      vault.putKv2(
          "", "secret", run + "/obj-" + i, Map.of("value", Envelope.randomAlphanumeric(32)));
      spcObjects
          .append("        - objectName: obj-")
          .append(i)
          .append('\n')
          .append("          secretPath: secret/data/")
          .append(run)
          .append("/obj-")
          .append(i)
          .append('\n')
          .append("          secretKey: value\n");
    }
    List<String> serviceAccounts = new ArrayList<>();
    for (int j = 0; j < identities; j++) {
      serviceAccounts.add("sa-" + j);
    }
    vault.addRole(
        "",
        VaultEmulator.DEFAULT_AUTH_MOUNT,
        new VaultRole(
            run,
            serviceAccounts,
            List.of(run),
            VaultDemo.AUDIENCE,
            List.of("secret/data/" + run + "/"),
            Duration.ofHours(1)));
    String spc =
        """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata:
          name: %s
          namespace: %s
        spec:
          provider: vault
          parameters:
            roleName: %s
            objects: |
        %s"""
            .formatted(run, run, run, spcObjects);
    List<String> flags = VaultDemo.serveFlags(started);
    List<DemoScenario> scenarios = new ArrayList<>();
    for (String serviceAccount : serviceAccounts) {
      String token =
          vault.mintServiceAccountToken(
              run, serviceAccount, VaultDemo.AUDIENCE, Duration.ofHours(24));
      scenarios.add(
          new DemoScenario(
              "vault", flags, spc, run, serviceAccount, Map.of(VaultDemo.AUDIENCE, token)));
    }
    return scenarios;
  }
}
