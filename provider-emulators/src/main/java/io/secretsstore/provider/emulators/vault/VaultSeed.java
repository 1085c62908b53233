// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.SeedNode;
import io.secretsstore.provider.emulators.SeededIdentity;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code vault} section of a seed file: KV secrets with their versions, and Kubernetes auth
 * roles (a service account, its namespace, the JWT audience, and the API paths its tokens may read,
 * standing in for policies).
 *
 * <pre>
 * vault:
 *   secrets:
 *     - path: secret/app/db          # mount/path
 *       engine: kv-v2                # or kv-v1 (one version only)
 *       versions:                    # oldest first; the last is current
 *         - {username: app, password: first}
 *   roles:
 *     - name: app
 *       namespace: demo
 *       serviceAccount: app
 *       audience: vault              # optional, default vault
 *       read: [secret/data/app/]
 * </pre>
 */
final class VaultSeed {
  private VaultSeed() {}

  static List<SeededIdentity> apply(
      VaultEmulator vault, StartedEmulator started, SeedNode section) {
    Map<String, SeedNode> top = section.entries(Set.of("secrets", "roles"));
    for (SeedNode secret : SeedNode.itemsOf(top, "secrets")) {
      putSecret(vault, secret);
    }
    List<SeededIdentity> identities = new ArrayList<>();
    List<SeedNode> roles = SeedNode.itemsOf(top, "roles");
    List<String> flags = roles.isEmpty() ? List.of() : VaultDemo.serveFlags(started);
    for (SeedNode role : roles) {
      Map<String, SeedNode> fields =
          role.entries(Set.of("name", "namespace", "serviceAccount", "audience", "read"));
      String name = role.required(fields, "name").string();
      String namespace = role.required(fields, "namespace").string();
      String serviceAccount = role.required(fields, "serviceAccount").string();
      String audience = SeedNode.stringOr(fields, "audience", VaultDemo.AUDIENCE);
      List<String> read = role.required(fields, "read").strings();
      vault.addRole(
          "",
          VaultEmulator.DEFAULT_AUTH_MOUNT,
          new VaultRole(
              name,
              List.of(serviceAccount),
              List.of(namespace),
              audience,
              read,
              Duration.ofHours(1)));
      String token =
          vault.mintServiceAccountToken(namespace, serviceAccount, audience, Duration.ofHours(24));
      identities.add(
          new SeededIdentity(
              "vault", "role " + name, flags, namespace, serviceAccount, Map.of(audience, token)));
    }
    return identities;
  }

  private static void putSecret(VaultEmulator vault, SeedNode secret) {
    Map<String, SeedNode> fields = secret.entries(Set.of("path", "engine", "versions"));
    SeedNode pathNode = secret.required(fields, "path");
    String path = pathNode.string();
    int slash = path.indexOf('/');
    if (slash <= 0 || slash == path.length() - 1) {
      throw pathNode.error("must be <mount>/<path>, e.g. secret/app/db");
    }
    String engine = SeedNode.stringOr(fields, "engine", "kv-v2");
    List<SeedNode> versions = secret.required(fields, "versions").items();
    if (versions.isEmpty()) {
      throw fields.get("versions").error("must list at least one version");
    }
    switch (engine) {
      case "kv-v2" ->
          versions.forEach(
              version ->
                  vault.putKv2(
                      "",
                      path.substring(0, slash),
                      path.substring(slash + 1),
                      version.stringMap()));
      case "kv-v1" -> {
        if (versions.size() != 1) {
          throw fields.get("versions").error("KV v1 keeps one version only");
        }
        vault.putKv1(
            "", path.substring(0, slash), path.substring(slash + 1), versions.get(0).stringMap());
      }
      default -> throw fields.get("engine").error("must be kv-v2 or kv-v1");
    }
  }
}
