// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.charts.Manifests.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nothing is granted to the provider that its rendered flags do not use: every rule of its
 * ClusterRole and Role is explained by a flag (or environment variable) of the rendered DaemonSet,
 * and every flag that needs a permission has it, for each chart's defaults, every option on and
 * each opt-in alone.
 */
class RbacFollowsFlagsTest {
  private static final List<String> VALUES =
      List.of(
          "{}",
          "tokenRequest: {enabled: true}",
          "tokenRequest: {enabled: false}",
          "fingerprintSecretName: ''",
          "awsRegion: eu-west-1",
          "azure: {enableManagedIdentity: true, allowServicePrincipal: false}",
          "azure: {podIdentity: {enabled: true, endpoint: 'http://10.0.0.1:2579/host/token/'}}",
          "vault: {tlsFileDirs: [{path: /etc/vault-tls, secretName: s}], allowSkipTLSVerify: true}",
          "hmacSecretName: other-key");

  /** What the backend reads from the API server because of its flags and environment. */
  private static List<Object> expectedRules(Backend backend, List<String> args, Set<String> env) {
    List<Object> cluster = new ArrayList<>();
    if (backend == Backend.AWS || backend == Backend.GCP) {
      // Role and service account annotations (IRSA / GKE workload identity), read through an
      // informer.
      cluster.add(ProviderRbacTest.GET_SERVICEACCOUNTS);
    }
    if (backend == Backend.AWS && !env.contains("AWS_REGION")) {
      cluster.add(ProviderRbacTest.GET_NODES);
    }
    if (args.contains("--gcp-allow-token-request")
        || args.contains("--vault-allow-token-request")) {
      cluster.add(ProviderRbacTest.CREATE_TOKENS);
    }
    return cluster;
  }

  private static Set<String> keySecrets(List<String> args) {
    Set<String> names = new TreeSet<>();
    for (String arg : args) {
      for (String flag : List.of("--hmac-secret-name=", "--fingerprint-secret-name=")) {
        if (arg.startsWith(flag)) {
          names.add(arg.substring(flag.length()));
        }
      }
    }
    return names;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyRuleIsExplainedByARenderedFlagAndEveryFlagHasItsRule(Backend backend) {
    List<Manifests> renders = new ArrayList<>();
    renders.add(Charts.renderEverythingOn(backend));
    for (String values : VALUES) {
      try {
        renders.add(Charts.render(backend, values));
      } catch (IllegalStateException notThisChartsValue) {
        // A value of another backend's chart: the schema refuses it, nothing to check.
        assertThat(notThisChartsValue).hasMessageContaining("schema");
      }
    }
    assertThat(renders)
        .as("everything on, and the values common to all charts")
        .hasSizeGreaterThanOrEqualTo(4);

    for (Manifests m : renders) {
      Node provider = m.one("DaemonSet").at("spec.template.spec.containers").named("provider");
      List<String> args = provider.get("args").strings();
      Set<String> env =
          new TreeSet<>(
              provider.get("env").list().stream().map(e -> e.get("name").string()).toList());
      String name = m.one("DaemonSet").at("metadata.name").string();

      List<Object> cluster =
          m.find("ClusterRole", name).map(ProviderRbacTest::rules).orElse(List.of());
      assertThat(cluster)
          .as("ClusterRole for %s", args)
          .isEqualTo(expectedRules(backend, args, env));

      Set<String> secrets = keySecrets(args);
      Optional<List<Object>> role = m.find("Role", name).map(ProviderRbacTest::rules);
      if (secrets.isEmpty()) {
        assertThat(role).as("Role for %s", args).isEmpty();
      } else {
        assertThat(role.orElseThrow()).hasSize(2);
        Map<?, ?> get = (Map<?, ?>) role.get().get(0);
        assertThat(new TreeSet<>((List<?>) get.get("resourceNames")))
            .as("Secrets got for %s", args)
            .isEqualTo(secrets);
        assertThat(get.get("verbs")).isEqualTo(List.of("get"));
        assertThat(role.get().get(1)).isEqualTo(ProviderRbacTest.CREATE_SECRETS);
      }
    }
  }
}
