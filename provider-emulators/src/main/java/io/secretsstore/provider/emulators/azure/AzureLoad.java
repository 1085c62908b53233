// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load-test scenarios of the {@code azure} backend: vault {@code load-<n>} with secrets {@code
 * obj-<i>}, read with workload identity by one application per service account {@code sa-<j>} of
 * namespace {@code load-<n>} (each pod names its application in {@code clientID}, as upstream's
 * workload identity does); {@code n} counts the calls.
 */
final class AzureLoad {
  private static final String TENANT = "load-tenant";
  private static final AtomicInteger RUNS = new AtomicInteger();

  private AzureLoad() {}

  static List<DemoScenario> seed(
      AzureEmulator azure, StartedEmulator started, int objects, int identities) {
    String run = "load-" + RUNS.incrementAndGet();
    azure.createVault(run, TENANT);
    StringBuilder spcObjects = new StringBuilder();
    for (int i = 0; i < objects; i++) {
      azure.setSecret(run, "obj-" + i, HexFormat.of().formatHex(ActiveDirectory.randomBytes(16)));
      spcObjects
          .append("          - |\n")
          .append("            objectName: obj-")
          .append(i)
          .append('\n')
          .append("            objectType: secret\n");
    }
    List<String> flags = AzureDemo.serveFlags(started);
    List<DemoScenario> scenarios = new ArrayList<>();
    for (int j = 0; j < identities; j++) {
      String serviceAccount = "sa-" + j;
      String clientId = run + "-" + serviceAccount;
      azure.addApplication(
          TENANT, clientId, null, "system:serviceaccount:" + run + ":" + serviceAccount);
      azure.allow(run, clientId);
      String spc =
          """
          apiVersion: secrets-store.csi.x-k8s.io/v1
          kind: SecretProviderClass
          metadata:
            name: %s
            namespace: %s
          spec:
            provider: azure
            parameters:
              keyvaultName: %s
              tenantId: %s
              clientID: %s
              objects: |
                array:
          %s"""
              .formatted(run, run, run, TENANT, clientId, spcObjects);
      String token =
          azure.mintServiceAccountToken(
              run, serviceAccount, AzureEmulator.EXCHANGE_AUDIENCE, Duration.ofHours(24));
      scenarios.add(
          new DemoScenario(
              "azure",
              flags,
              spc,
              run,
              serviceAccount,
              Map.of(AzureEmulator.EXCHANGE_AUDIENCE, token)));
    }
    return scenarios;
  }
}
