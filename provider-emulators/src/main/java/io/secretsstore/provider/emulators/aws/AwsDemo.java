// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code aws} backend's demo: secret {@code demo/db} (JSON username/password), SecureString
 * {@code /demo/api-key}, and role {@code demo-app} trusted for {@code
 * system:serviceaccount:demo:app} with audience {@code sts.amazonaws.com}, allowed to read both.
 */
final class AwsDemo {
  static final String NAMESPACE = "demo";
  static final String SERVICE_ACCOUNT = "app";
  static final String ROLE_ARN = "arn:aws:iam::111122223333:role/demo-app";
  static final String AUDIENCE = "sts.amazonaws.com";

  static final String SECRET_PROVIDER_CLASS =
      """
      apiVersion: secrets-store.csi.x-k8s.io/v1
      kind: SecretProviderClass
      metadata:
        name: app-secrets
        namespace: demo
      spec:
        provider: aws
        parameters:
          region: us-east-1
          objects: |
            - objectName: demo/db
              objectType: secretsmanager
              jmesPath:
                - path: username
                  objectAlias: db-username
                - path: password
                  objectAlias: db-password
            - objectName: /demo/api-key
              objectType: ssmparameter
      """;

  private AwsDemo() {}

  /**
   * The {@code serve} flags that point the backend at this started emulator, in its default region.
   */
  static List<String> serveFlags(StartedEmulator started) {
    return List.of(
        "--aws-endpoint=" + started.endpoint("https"),
        "--aws-ca-bundle=" + started.settings().get("AWS_CA_BUNDLE"),
        "--aws-region=" + AwsEmulator.DEFAULT_REGION);
  }

  static DemoScenario seed(AwsEmulator aws, StartedEmulator started) {
    String region = AwsEmulator.DEFAULT_REGION;
    aws.putSecret(
        region,
        "demo/db",
        "{\"username\":\"app\",\"password\":\"" + Credentials.randomAlphanumeric(24) + "\"}");
    aws.putParameter(region, "/demo/api-key", Credentials.randomAlphanumeric(32), true);
    aws.addRole(ROLE_ARN, AUDIENCE, "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT);
    aws.allow(ROLE_ARN, "demo/", "/demo/");
    aws.podIdentityRole(NAMESPACE, SERVICE_ACCOUNT, ROLE_ARN);
    String token =
        aws.mintWebIdentityToken(NAMESPACE, SERVICE_ACCOUNT, AUDIENCE, Duration.ofHours(24));
    List<String> flags = new ArrayList<>(serveFlags(started));
    flags.add("--aws-role-arn-for=" + NAMESPACE + "/" + SERVICE_ACCOUNT + "=" + ROLE_ARN);
    return new DemoScenario(
        "aws", flags, SECRET_PROVIDER_CLASS, NAMESPACE, SERVICE_ACCOUNT, Map.of(AUDIENCE, token));
  }
}
