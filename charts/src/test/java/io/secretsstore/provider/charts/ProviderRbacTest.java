// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProviderRbacTest {
  private static final String FULLNAME_PREFIX = Charts.RELEASE + "-";

  static Map<String, Object> rule(String resource, String... verbs) {
    return Map.of(
        "apiGroups", List.of(""), "resources", List.of(resource), "verbs", List.of(verbs));
  }

  static final Map<String, Object> GET_NODES = rule("nodes", "get");

  /** AWS reads role annotations through an informer, which lists and watches. */
  static final Map<String, Object> GET_SERVICEACCOUNTS = rule("serviceaccounts", "get");

  static final Map<String, Object> CREATE_TOKENS = rule("serviceaccounts/token", "create");
  static final Map<String, Object> CREATE_SECRETS = rule("secrets", "create");

  static final String FINGERPRINT_SECRET = "secrets-store-provider-fingerprint-key";

  /** {@code get} on exactly the named Secrets. */
  static Map<String, Object> getSecrets(String... names) {
    return Map.of(
        "apiGroups",
        List.of(""),
        "resources",
        List.of("secrets"),
        "resourceNames",
        List.of(names),
        "verbs",
        List.of("get"));
  }

  /**
   * The provider's Role by default: the fingerprint key Secret, got by name, created if missing.
   */
  static final List<Object> FINGERPRINT_KEY_RULES =
      List.of(getSecrets(FINGERPRINT_SECRET), CREATE_SECRETS);

  private static String fullname(Backend backend) {
    return FULLNAME_PREFIX + backend.chart();
  }

  /** The provider ClusterRole's rules, or empty when no ClusterRole is rendered. */
  private static Optional<List<Object>> clusterRules(Manifests m, Backend backend) {
    return m.find("ClusterRole", fullname(backend)).map(ProviderRbacTest::rules);
  }

  private static Optional<List<Object>> roleRules(Manifests m, Backend backend) {
    return m.find("Role", fullname(backend)).map(ProviderRbacTest::rules);
  }

  static List<Object> rules(Manifests.Node role) {
    return role.get("rules").list().stream().map(Manifests.Node::value).toList();
  }

  @Test
  void awsGetsServiceAccountsAndNodesWhenTheRegionComesFromTheNode() {
    Manifests m = Charts.render(Backend.AWS, "{}");

    assertThat(clusterRules(m, Backend.AWS)).contains(List.of(GET_SERVICEACCOUNTS, GET_NODES));
    assertThat(roleRules(m, Backend.AWS)).contains(FINGERPRINT_KEY_RULES);
    // The provider knows its node from the downward API (--aws-node-name reads NODE_NAME), so it
    // never reads pods.
    Map<String, Object> env =
        m.one("DaemonSet")
            .at("spec.template.spec.containers.0")
            .get("env")
            .named("NODE_NAME")
            .map();
    assertThat(env)
        .isEqualTo(
            Map.of(
                "name",
                "NODE_NAME",
                "valueFrom",
                Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName"))));
  }

  @Test
  void awsWithARegionSetsAwsRegionAndDoesNotGetNodes() {
    Manifests m = Charts.render(Backend.AWS, "awsRegion: eu-west-1");

    assertThat(clusterRules(m, Backend.AWS)).contains(List.of(GET_SERVICEACCOUNTS));
    Map<String, Object> env =
        m.one("DaemonSet")
            .at("spec.template.spec.containers.0")
            .get("env")
            .named("AWS_REGION")
            .map();
    assertThat(env).isEqualTo(Map.of("name", "AWS_REGION", "value", "eu-west-1"));
  }

  @Test
  void gcpWatchesServiceAccountsOnly_andPassesTheClustersIdentity() {
    Manifests m =
        Charts.render(
            Backend.GCP,
            "{gcpProject: my-project, gkeClusterLocation: europe-west1, gkeClusterName: prod}");

    assertThat(clusterRules(m, Backend.GCP)).contains(List.of(GET_SERVICEACCOUNTS));
    assertThat(roleRules(m, Backend.GCP)).contains(FINGERPRINT_KEY_RULES);
    Manifests.Node env = m.one("DaemonSet").at("spec.template.spec.containers.0").get("env");
    assertThat(env.named("PROJECT").map())
        .isEqualTo(Map.of("name", "PROJECT", "value", "my-project"));
    assertThat(env.named("CLUSTER_LOCATION").map())
        .isEqualTo(Map.of("name", "CLUSTER_LOCATION", "value", "europe-west1"));
    assertThat(env.named("CLUSTER_NAME").map())
        .isEqualTo(Map.of("name", "CLUSTER_NAME", "value", "prod"));
  }

  @Test
  void azureHasNoClusterPermissions_andOnlyTheFingerprintKeyRole() {
    assertThat(Charts.render(Backend.AZURE, "{}").ofKind("ClusterRole")).isEmpty();
    assertThat(roleRules(Charts.render(Backend.AZURE, "{}"), Backend.AZURE))
        .contains(FINGERPRINT_KEY_RULES);

    Manifests m = Charts.render(Backend.AZURE, "fingerprintSecretName: ''");
    assertThat(m.ofKind("ClusterRole")).isEmpty();
    assertThat(m.ofKind("ClusterRoleBinding")).isEmpty();
    assertThat(m.ofKind("Role")).isEmpty();
    assertThat(m.ofKind("RoleBinding")).isEmpty();
  }

  @Test
  void vaultGetsItsHmacKeySecretByNameAndCreatesSecretsInTheReleaseNamespaceOnly() {
    Manifests m = Charts.render(Backend.VAULT, "tokenRequest: {enabled: false}");

    assertThat(clusterRules(m, Backend.VAULT)).isEmpty();
    assertThat(roleRules(m, Backend.VAULT))
        .contains(
            List.of(getSecrets("vault-csi-provider-hmac-key", FINGERPRINT_SECRET), CREATE_SECRETS));
    assertThat(m.one("Role").at("metadata.namespace").string()).isEqualTo(Charts.NAMESPACE);
    assertThat(m.one("DaemonSet").at("spec.template.spec.containers.0.args").strings())
        .contains("--hmac-secret-name=vault-csi-provider-hmac-key")
        .doesNotContain("--vault-allow-token-request");
  }

  @Test
  void vaultHmacSecretNameDrivesBothTheFlagAndTheRole() {
    Manifests m = Charts.render(Backend.VAULT, "hmacSecretName: my-key");

    assertThat(roleRules(m, Backend.VAULT))
        .contains(List.of(getSecrets("my-key", FINGERPRINT_SECRET), CREATE_SECRETS));
    assertThat(
            roleRules(
                Charts.render(Backend.VAULT, "{hmacSecretName: my-key, fingerprintSecretName: ''}"),
                Backend.VAULT))
        .contains(List.of(getSecrets("my-key"), CREATE_SECRETS));
    assertThat(
            roleRules(
                Charts.render(Backend.VAULT, "{hmacSecretName: same, fingerprintSecretName: same}"),
                Backend.VAULT))
        .as("one name is listed once")
        .contains(List.of(getSecrets("same"), CREATE_SECRETS));
    assertThat(m.one("DaemonSet").at("spec.template.spec.containers.0.args").strings())
        .contains("--hmac-secret-name=my-key");
  }

  @Test
  void vaultFlagsAndCaCertificateComeFromValues() {
    Manifests m = Charts.renderEverythingOn(Backend.VAULT);
    var provider = m.one("DaemonSet").at("spec.template.spec.containers.0");

    assertThat(provider.get("args").strings())
        .contains(
            "--vault-addr=https://vault.example.com:8200",
            "--vault-mount=k8s-prod",
            "--vault-namespace=team-a",
            "--vault-ca-cert=/etc/secrets-store-provider/vault-ca/ca.pem",
            "--vault-allow-token-request");
    assertThat(provider.get("volumeMounts").named("vault-ca").get("mountPath").string())
        .isEqualTo("/etc/secrets-store-provider/vault-ca");
    assertThat(
            m.one("DaemonSet")
                .at("spec.template.spec.volumes")
                .named("vault-ca")
                .at("secret.secretName")
                .string())
        .isEqualTo("vault-tls");
  }

  /**
   * Only the GCP and Vault backends can mint pod tokens; the AWS and Azure charts have no such
   * value.
   */
  @ParameterizedTest
  @EnumSource(
      value = Backend.class,
      names = {"GCP", "VAULT"})
  void serviceAccountTokenCreateIsGrantedOnlyWhenTokenRequestIsEnabled(Backend backend) {
    Manifests off = Charts.render(backend, "tokenRequest: {enabled: false}");
    Manifests on = Charts.render(backend, "tokenRequest: {enabled: true}");

    assertThat(
            off.all().stream()
                .filter(d -> d.get("kind").string().endsWith("Role"))
                .map(ProviderRbacTest::rules))
        .allSatisfy(rules -> assertThat(rules).doesNotContain(CREATE_TOKENS));
    List<Object> rulesOn = clusterRules(on, backend).orElseThrow();
    assertThat(rulesOn).contains(CREATE_TOKENS);
    List<Object> withoutToken = new java.util.ArrayList<>(rulesOn);
    withoutToken.remove(CREATE_TOKENS);
    assertThat(withoutToken).isEqualTo(clusterRules(off, backend).orElse(List.of()));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void bindingsGrantTheRolesToTheProvidersServiceAccount(Backend backend) {
    Manifests m =
        Charts.render(backend, "serviceAccount: {name: custom-sa}\nfingerprintSecretName: key");

    assertThat(m.one("ServiceAccount", "custom-sa").at("metadata.namespace").string())
        .isEqualTo(Charts.NAMESPACE);
    assertThat(m.one("DaemonSet").at("spec.template.spec.serviceAccountName").string())
        .isEqualTo("custom-sa");
    for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
      m.find(kind, fullname(backend))
          .ifPresent(
              binding -> {
                assertThat(binding.get("subjects").value())
                    .isEqualTo(
                        List.of(
                            Map.of(
                                "kind",
                                "ServiceAccount",
                                "name",
                                "custom-sa",
                                "namespace",
                                Charts.NAMESPACE)));
                assertThat(binding.at("roleRef.name").string()).isEqualTo(fullname(backend));
              });
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void fingerprintSecretName_reachesServeAndSync_andItsRoleGetsOnlyThatSecret(Backend backend) {
    Manifests m =
        Charts.render(backend, "{fingerprintSecretName: audit-key, sync: {enabled: true}}");

    for (String kind : List.of("DaemonSet", "Deployment")) {
      assertThat(m.one(kind).at("spec.template.spec.containers.0.args").strings())
          .as(kind)
          .contains(
              "--fingerprint-secret-name=audit-key",
              "--fingerprint-secret-namespace=" + Charts.NAMESPACE);
    }
    List<Object> expected =
        backend == Backend.VAULT
            ? List.of(getSecrets("vault-csi-provider-hmac-key", "audit-key"), CREATE_SECRETS)
            : List.of(getSecrets("audit-key"), CREATE_SECRETS);
    assertThat(roleRules(m, backend)).contains(expected);
    // The sync controller's ClusterRole reads no Secret: its Role gets the same key Secrets by
    // name.
    assertThat(
            m.find("Role", fullname(backend) + "-sync").map(ProviderRbacTest::rules).orElseThrow())
        .containsAll(expected);

    Manifests off = Charts.render(backend, "{fingerprintSecretName: '', sync: {enabled: true}}");
    for (String kind : List.of("DaemonSet", "Deployment")) {
      assertThat(off.one(kind).at("spec.template.spec.containers.0.args").strings())
          .as(kind)
          .noneMatch(arg -> arg.startsWith("--fingerprint-secret"));
    }
    assertThat(roleRules(off, backend))
        .isEqualTo(
            backend == Backend.VAULT
                ? Optional.of(List.of(getSecrets("vault-csi-provider-hmac-key"), CREATE_SECRETS))
                : Optional.empty());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void rbacCreateFalseRendersNoRoles(Backend backend) {
    Manifests m =
        Charts.render(
            backend,
            backend == Backend.AWS || backend == Backend.AZURE
                ? "rbac: {create: false}"
                : "rbac: {create: false}\ntokenRequest: {enabled: true}");

    assertThat(m.kinds()).noneMatch(k -> k.contains("Role"));
  }
}
