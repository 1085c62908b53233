// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load-test scenarios of the {@code gcp} backend: global secrets {@code load-<n>-obj-<i>} read with
 * direct federated access (no impersonation, so no per-account provider flag) by service accounts
 * {@code sa-<j>} of namespace {@code load-<n>}; {@code n} counts the calls.
 */
final class GcpLoad {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private GcpLoad() {}

  static List<DemoScenario> seed(
      GcpEmulator gcp, StartedEmulator started, int objects, int identities) {
    String run = "load-" + RUNS.incrementAndGet();
    String secrets = "projects/" + GcpEmulator.PROJECT + "/secrets/" + run + "-obj-";
    StringBuilder spcObjects = new StringBuilder();
    for (int i = 0; i < objects; i++) {
      gcp.addVersion(secrets + i, GcpDemo.random(16));
      spcObjects
          .append("        - resourceName: ")
          .append(secrets)
          .append(i)
          .append("/versions/latest\n")
          .append("          path: obj-")
          .append(i)
          .append('\n');
    }
    String spc =
        """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata:
          name: %s
          namespace: %s
        spec:
          provider: gcp
          parameters:
            secrets: |
        %s"""
            .formatted(run, run, spcObjects);
    List<String> flags = GcpDemo.serveFlags(started);
    List<DemoScenario> scenarios = new ArrayList<>();
    for (int j = 0; j < identities; j++) {
      String serviceAccount = "sa-" + j;
      gcp.grant(gcp.workloadMember(run, serviceAccount), secrets);
      String token =
          gcp.mintServiceAccountToken(run, serviceAccount, GcpEmulator.POOL, Duration.ofHours(24));
      scenarios.add(
          new DemoScenario(
              "gcp", flags, spc, run, serviceAccount, Map.of(GcpEmulator.POOL, token)));
    }
    return scenarios;
  }
}
