// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.aws.AwsEmulator;
import io.secretsstore.provider.testing.Canaries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS backend's cases: Secrets Manager secrets {@code conf/<name>} mounted under their alias,
 * role {@code conf} trusted for the canary pod only. The other namespace is mapped to the same
 * role, so that STS, not the provider, refuses it (row 18).
 */
final class AwsCases extends CaseBook {
  private static final String ROLE = "arn:aws:iam::" + AwsEmulator.ACCOUNT + ":role/conf";
  private static final String AUDIENCE = "sts.amazonaws.com";
  private static final String SECOND_ROLE = "arn:aws:iam::" + AwsEmulator.ACCOUNT + ":role/second";

  @Override
  String backend() {
    return "aws";
  }

  @Override
  CloudEmulator emulator() {
    return new AwsEmulator();
  }

  @Override
  List<String> prepare(
      CloudEmulator emulator, StartedEmulator started, Path work, boolean trustCa) {
    AwsEmulator aws = (AwsEmulator) emulator;
    aws.addRole(ROLE, AUDIENCE, "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT);
    aws.allow(ROLE, "conf/");
    aws.addRole(
        SECOND_ROLE, AUDIENCE, "system:serviceaccount:" + SECOND_TENANT + ":" + SERVICE_ACCOUNT);
    aws.allow(SECOND_ROLE, "conf/");
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--aws-endpoint=" + started.endpoint("https"),
                "--aws-region=" + AwsEmulator.DEFAULT_REGION,
                "--aws-role-arn-for=" + NAMESPACE + "/" + SERVICE_ACCOUNT + "=" + ROLE,
                "--aws-role-arn-for=" + OTHER_NAMESPACE + "/" + SERVICE_ACCOUNT + "=" + ROLE,
                // Mapped to the role, which trusts only the canary pod, so STS refuses it (row 36).
                "--aws-role-arn-for=" + NAMESPACE + "/intruder=" + ROLE,
                "--aws-role-arn-for=" + SECOND_TENANT + "/" + SERVICE_ACCOUNT + "=" + SECOND_ROLE));
    if (trustCa) {
      flags.add("--aws-ca-bundle=" + started.settings().get("AWS_CA_BUNDLE"));
    }
    return flags;
  }

  @Override
  boolean admitsSecondTenant() {
    return true;
  }

  @Override
  void put(CloudEmulator emulator, String name, String value) {
    ((AwsEmulator) emulator).putSecret(AwsEmulator.DEFAULT_REGION, "conf/" + name, value);
  }

  @Override
  String audience() {
    return AUDIENCE;
  }

  @Override
  String token(CloudEmulator emulator, String namespace, String serviceAccount) {
    return ((AwsEmulator) emulator)
        .mintWebIdentityToken(namespace, serviceAccount, AUDIENCE, Duration.ofHours(1));
  }

  @Override
  Map<String, String> parameters() {
    return Map.of("region", AwsEmulator.DEFAULT_REGION, "pathTranslation", "False");
  }

  @Override
  String object(String name, String file, String mode) {
    return "- objectName: "
        + quoted("conf/" + name)
        + "\n  objectType: secretsmanager\n  objectAlias: "
        + (file == null ? quoted(name) : file)
        + (mode == null ? "" : "\n  filePermission: " + mode);
  }

  @Override
  String mode(String octal) {
    return quoted(octal);
  }

  @Override
  String readOperation() {
    return "aws.secretsmanager.GetSecretValue";
  }

  @Override
  String resource(String name) {
    return "conf/" + name;
  }

  @Override
  List<String> fallbackOperations() {
    return List.of("aws.podidentity.credentials");
  }

  @Override
  String loginOperation() {
    return "aws.sts.AssumeRoleWithWebIdentity";
  }

  @Override
  Map<String, String> operatorOnlyParameters() {
    return Map.of();
  }

  @Override
  Optional<String> notApplicable(int row) {
    return row == 16
        ? Optional.of(
            "no AWS parameter chooses an endpoint, a file or an identity other than the pod's")
        : Optional.empty();
  }

  @Override
  Optional<String> mountsFileNameAs(String name) {
    // Upstream joins the alias to the mount directory, so "/abs" is the file abs there; an empty
    // alias is no alias, so the object keeps its name (here with pathTranslation off).
    return switch (name) {
      case "/abs" -> Optional.of("abs");
      case "" -> Optional.of("conf/one");
      default -> Optional.empty();
    };
  }

  @Override
  String jsonKeyOfNonJson(CloudEmulator emulator) {
    put(emulator, "plain", Canaries.SECRET + " is not json");
    return "- objectName: \"conf/plain\"\n  objectType: secretsmanager\n  jmesPath:\n    - path: username\n      objectAlias: user";
  }
}
