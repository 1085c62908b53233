// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import io.secretsstore.provider.emulators.SeedNode;
import io.secretsstore.provider.emulators.SeededIdentity;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code gcp} section of a seed file, in project {@code emulator-project}: Secret Manager
 * secrets (global, or regional with {@code location}) with their versions, and Google service
 * accounts that a Kubernetes service account impersonates through workload identity, with the
 * secret-name prefixes each may read.
 *
 * <pre>
 * gcp:
 *   secrets:
 *     - name: demo-db
 *       versions: ['{"password":"first"}', '{"password":"second"}']   # versions 1, 2
 *     - name: demo-api-key
 *       location: us-central1
 *       versions: [key-1]
 *   serviceAccounts:
 *     - email: demo-app@emulator-project.iam.gserviceaccount.com
 *       namespace: demo
 *       serviceAccount: app
 *       read: [demo-]
 * </pre>
 */
final class GcpSeed {
  private static final String PROJECT = "projects/" + GcpEmulator.PROJECT;

  private GcpSeed() {}

  static List<SeededIdentity> apply(GcpEmulator gcp, StartedEmulator started, SeedNode section) {
    Map<String, SeedNode> top = section.entries(Set.of("secrets", "serviceAccounts"));
    Set<String> scopes = new LinkedHashSet<>(List.of(PROJECT + "/secrets/"));
    for (SeedNode secret : SeedNode.itemsOf(top, "secrets")) {
      Map<String, SeedNode> fields = secret.entries(Set.of("name", "location", "versions"));
      SeedNode nameNode = secret.required(fields, "name");
      String name = nameNode.string();
      if (!name.matches("[A-Za-z0-9_-]{1,255}")) {
        throw nameNode.error(
            "must be a secret id (letters, digits, - and _), without projects/...");
      }
      String scope =
          fields.containsKey("location")
              ? PROJECT + "/locations/" + fields.get("location").string() + "/secrets/"
              : PROJECT + "/secrets/";
      scopes.add(scope);
      secret
          .required(fields, "versions")
          .strings()
          .forEach(value -> gcp.addVersion(scope + name, value));
    }
    List<SeededIdentity> identities = new ArrayList<>();
    if (top.containsKey("serviceAccounts")) {
      List<String> flags = new ArrayList<>(GcpDemo.serveFlags(started));
      List<String[]> pods = new ArrayList<>();
      for (SeedNode account : top.get("serviceAccounts").items()) {
        Map<String, SeedNode> fields =
            account.entries(Set.of("email", "namespace", "serviceAccount", "read"));
        SeedNode emailNode = account.required(fields, "email");
        String email = emailNode.string();
        if (!email.endsWith(".iam.gserviceaccount.com") || !email.contains("@")) {
          throw emailNode.error(
              "must be a Google service account, e.g. app@emulator-project.iam.gserviceaccount.com");
        }
        String namespace = account.required(fields, "namespace").string();
        String serviceAccount = account.required(fields, "serviceAccount").string();
        List<String> prefixes = new ArrayList<>();
        for (String prefix : account.required(fields, "read").strings()) {
          scopes.forEach(scope -> prefixes.add(scope + prefix));
        }
        gcp.addServiceAccount(email);
        gcp.allowImpersonation(email, gcp.workloadMember(namespace, serviceAccount));
        gcp.grant(GcpEmulator.serviceAccountMember(email), prefixes.toArray(String[]::new));
        flags.add("--gcp-service-account-for=" + namespace + "/" + serviceAccount + "=" + email);
        pods.add(new String[] {namespace, serviceAccount, email});
      }
      for (String[] pod : pods) {
        String token =
            gcp.mintServiceAccountToken(pod[0], pod[1], GcpEmulator.POOL, Duration.ofHours(24));
        identities.add(
            new SeededIdentity(
                "gcp",
                "service account " + pod[2],
                flags,
                pod[0],
                pod[1],
                Map.of(GcpEmulator.POOL, token)));
      }
    }
    return identities;
  }
}
