// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load-test scenarios of the {@code aws} backend: Secrets Manager secrets {@code load-<n>/obj-<i>}
 * read through EKS Pod Identity by service accounts {@code sa-<j>} of namespace {@code load-<n>},
 * each with its own role; {@code n} counts the calls. Pod Identity needs no per-account provider
 * flag, so one provider started with the first scenario's flags serves every later one.
 */
final class AwsLoad {
  static final String AUDIENCE = "pods.eks.amazonaws.com";
  private static final AtomicInteger RUNS = new AtomicInteger();

  private AwsLoad() {}

  static List<DemoScenario> seed(
      AwsEmulator aws, StartedEmulator started, int objects, int identities) {
    String run = "load-" + RUNS.incrementAndGet();
    String region = AwsEmulator.DEFAULT_REGION;
    StringBuilder spcObjects = new StringBuilder();
    for (int i = 0; i < objects; i++) {
      aws.putSecret(region, run + "/obj-" + i, Credentials.randomAlphanumeric(32));
      spcObjects
          .append("        - objectName: ")
          .append(run)
          .append("/obj-")
          .append(i)
          .append('\n')
          .append("          objectType: secretsmanager\n")
          .append("          objectAlias: obj-")
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
          provider: aws
          parameters:
            region: %s
            usePodIdentity: "true"
            objects: |
        %s"""
            .formatted(run, run, region, spcObjects);
    List<String> flags =
        List.of(
            "--aws-endpoint=" + started.endpoint("https"),
            "--aws-ca-bundle=" + started.settings().get("AWS_CA_BUNDLE"),
            "--aws-region=" + region,
            "--aws-pod-identity-endpoint=" + started.endpoint("pod-identity"));
    List<DemoScenario> scenarios = new ArrayList<>();
    for (int j = 0; j < identities; j++) {
      String serviceAccount = "sa-" + j;
      String role = "arn:aws:iam::" + AwsEmulator.ACCOUNT + ":role/" + run + "-" + serviceAccount;
      aws.addRole(role, AUDIENCE, "system:serviceaccount:" + run + ":" + serviceAccount);
      aws.allow(role, run + "/");
      aws.podIdentityRole(run, serviceAccount, role);
      String token = aws.mintWebIdentityToken(run, serviceAccount, AUDIENCE, Duration.ofHours(24));
      scenarios.add(
          new DemoScenario("aws", flags, spc, run, serviceAccount, Map.of(AUDIENCE, token)));
    }
    return scenarios;
  }
}
