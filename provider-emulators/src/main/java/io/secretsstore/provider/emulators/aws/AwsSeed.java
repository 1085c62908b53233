// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import io.secretsstore.provider.emulators.SeedNode;
import io.secretsstore.provider.emulators.SeededIdentity;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code aws} section of a seed file, in the emulator's default region (us-east-1): Secrets
 * Manager secrets and SSM parameters with their versions, and IAM roles for service accounts (IRSA)
 * with the name prefixes each may read.
 *
 * <pre>
 * aws:
 *   secrets:
 *     - name: demo/db
 *       versions: ['{"password":"first"}', '{"password":"second"}']   # the last is AWSCURRENT
 *   parameters:
 *     - name: /demo/api-key
 *       secure: true                 # SecureString; default false
 *       versions: [key-1, key-2]
 *   roles:
 *     - arn: arn:aws:iam::111122223333:role/demo-app
 *       namespace: demo
 *       serviceAccount: app
 *       read: [demo/, /demo/]
 * </pre>
 */
final class AwsSeed {
  private AwsSeed() {}

  static List<SeededIdentity> apply(AwsEmulator aws, StartedEmulator started, SeedNode section) {
    String region = AwsEmulator.DEFAULT_REGION;
    Map<String, SeedNode> top = section.entries(Set.of("secrets", "parameters", "roles"));
    for (SeedNode secret : SeedNode.itemsOf(top, "secrets")) {
      Map<String, SeedNode> fields = secret.entries(Set.of("name", "versions"));
      String name = secret.required(fields, "name").string();
      secret
          .required(fields, "versions")
          .strings()
          .forEach(value -> aws.putSecret(region, name, value));
    }
    for (SeedNode parameter : SeedNode.itemsOf(top, "parameters")) {
      Map<String, SeedNode> fields = parameter.entries(Set.of("name", "secure", "versions"));
      String name = parameter.required(fields, "name").string();
      boolean secure = fields.containsKey("secure") && fields.get("secure").bool();
      parameter
          .required(fields, "versions")
          .strings()
          .forEach(value -> aws.putParameter(region, name, value, secure));
    }
    List<SeededIdentity> identities = new ArrayList<>();
    if (top.containsKey("roles")) {
      List<SeedNode> roles = top.get("roles").items();
      List<String> flags = new ArrayList<>(AwsDemo.serveFlags(started));
      List<String[]> pods = new ArrayList<>();
      for (SeedNode role : roles) {
        Map<String, SeedNode> fields =
            role.entries(Set.of("arn", "namespace", "serviceAccount", "read"));
        SeedNode arnNode = role.required(fields, "arn");
        String arn = arnNode.string();
        if (!arn.startsWith("arn:aws:iam::") || !arn.contains(":role/")) {
          throw arnNode.error("must be a role ARN, e.g. arn:aws:iam::111122223333:role/app");
        }
        String namespace = role.required(fields, "namespace").string();
        String serviceAccount = role.required(fields, "serviceAccount").string();
        aws.addRole(
            arn, AwsDemo.AUDIENCE, "system:serviceaccount:" + namespace + ":" + serviceAccount);
        aws.allow(arn, role.required(fields, "read").strings().toArray(String[]::new));
        aws.podIdentityRole(namespace, serviceAccount, arn);
        // The provider maps every seeded service account to its role, as the
        // eks.amazonaws.com/role-arn annotation would.
        flags.add("--aws-role-arn-for=" + namespace + "/" + serviceAccount + "=" + arn);
        pods.add(new String[] {namespace, serviceAccount, arn});
      }
      for (String[] pod : pods) {
        String token =
            aws.mintWebIdentityToken(pod[0], pod[1], AwsDemo.AUDIENCE, Duration.ofHours(24));
        identities.add(
            new SeededIdentity(
                "aws", "role " + pod[2], flags, pod[0], pod[1], Map.of(AwsDemo.AUDIENCE, token)));
      }
    }
    return identities;
  }
}
