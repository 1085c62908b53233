// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static io.secretsstore.provider.charts.ProviderRbacTest.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.charts.Manifests.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyncControllerTest {
  private static final String ENABLED = "sync: {enabled: true}";

  private static String syncName(Backend backend) {
    return Charts.RELEASE + "-" + backend.chart() + "-sync";
  }

  private static Map<String, Object> groupRule(String group, String resource, String... verbs) {
    return Map.of(
        "apiGroups", List.of(group), "resources", List.of(resource), "verbs", List.of(verbs));
  }

  /**
   * The sync controller's own rules, then what the in-process backend needs (as the provider):
   * Secrets create and patch only (server-side apply), plus get by name when no admission policy
   * checks owners.
   */
  private static List<Object> expectedClusterRules(Backend backend, boolean policies) {
    List<Object> rules =
        new ArrayList<>(
            List.of(
                groupRule("secret-sync.x-k8s.io", "secretsyncs", "get", "list", "watch"),
                groupRule("secret-sync.x-k8s.io", "secretsyncs/status", "update"),
                groupRule(
                    "secrets-store.csi.x-k8s.io", "secretproviderclasses", "get", "list", "watch"),
                policies
                    ? ProviderRbacTest.rule("secrets", "create", "patch")
                    : ProviderRbacTest.rule("secrets", "create", "patch", "get"),
                ProviderRbacTest.rule("serviceaccounts/token", "create"),
                groupRule("events.k8s.io", "events", "create")));
    switch (backend) {
      case AWS ->
          rules.addAll(List.of(ProviderRbacTest.GET_SERVICEACCOUNTS, ProviderRbacTest.GET_NODES));
      case GCP -> rules.add(ProviderRbacTest.GET_SERVICEACCOUNTS);
      case AZURE, VAULT -> {}
    }
    return rules;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void nothingOfTheSyncControllerIsRenderedByDefault(Backend backend) {
    Manifests m = Charts.render(backend, "{}");

    assertThat(m.ofKind("Deployment")).isEmpty();
    assertThat(m.ofKind("CustomResourceDefinition")).isEmpty();
    assertThat(m.kinds()).noneMatch(k -> k.endsWith("-sync"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void enabledRunsALeaderElectedSyncForItsBackendUnderItsOwnServiceAccount(Backend backend) {
    Manifests m = Charts.render(backend, ENABLED);
    Node deployment = m.one("Deployment", syncName(backend));
    Node spec = deployment.at("spec.template.spec");
    Node container = spec.get("containers").named("sync-controller");

    assertThat(container.get("command").isMissing())
        .as("the image's entrypoint is the CLI")
        .isTrue();
    assertThat(container.get("args").strings().subList(0, 3))
        .containsExactly("sync", "--backend", backend.id());
    assertThat(container.get("args").strings())
        .contains(
            "--leader-elect",
            "--leader-election-namespace=" + Charts.NAMESPACE,
            "--secret-owner-check=admission",
            "--config=/etc/secrets-store-provider/config.yaml",
            "--fingerprint-secret-name=secrets-store-provider-fingerprint-key");
    assertThat(deployment.at("spec.template.metadata.annotations").isMissing())
        .as("no config checksum: the controller reloads the ConfigMap itself")
        .isTrue();
    assertThat(spec.get("serviceAccountName").string()).isEqualTo(syncName(backend));
    assertThat(m.one("ServiceAccount", syncName(backend))).isNotNull();
    assertThat(spec.get("hostNetwork").value()).isEqualTo(false);
    assertThat(spec.get("volumes").list())
        .allSatisfy(v -> assertThat(v.get("hostPath").isMissing()).isTrue());
    assertThat(container.at("securityContext.readOnlyRootFilesystem").value()).isEqualTo(true);
    assertThat(container.at("securityContext.capabilities").map())
        .isEqualTo(Map.of("drop", List.of("ALL")));
    assertThat(container.at("livenessProbe.httpGet.path").string()).isEqualTo("/livez");
    assertThat(container.at("readinessProbe.httpGet.path").string()).isEqualTo("/readyz");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void enabledGrantsExactlyTheSyncRulesAndLeasesInItsNamespace(Backend backend) {
    Manifests m = Charts.render(backend, ENABLED);

    assertThat(rules(m.one("ClusterRole", syncName(backend))))
        .isEqualTo(expectedClusterRules(backend, true));
    assertThat(
            rules(
                Charts.render(backend, "sync: {enabled: true, admissionPolicies: {enabled: false}}")
                    .one("ClusterRole", syncName(backend))))
        .isEqualTo(expectedClusterRules(backend, false));
    Node role = m.one("Role", syncName(backend));
    assertThat(role.at("metadata.namespace").string()).isEqualTo(Charts.NAMESPACE);
    List<Object> roleRules =
        new ArrayList<>(
            List.of(groupRule("coordination.k8s.io", "leases", "get", "create", "update")));
    List<String> keySecrets = new ArrayList<>();
    if (backend == Backend.VAULT) {
      keySecrets.add("vault-csi-provider-hmac-key");
    }
    keySecrets.add(ProviderRbacTest.FINGERPRINT_SECRET);
    roleRules.add(ProviderRbacTest.getSecrets(keySecrets.toArray(String[]::new)));
    roleRules.add(ProviderRbacTest.CREATE_SECRETS);
    assertThat(rules(role)).isEqualTo(roleRules);
    for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
      Node binding = m.one(kind, syncName(backend));
      assertThat(binding.at("roleRef.name").string()).isEqualTo(syncName(backend));
      assertThat(binding.get("subjects").value())
          .isEqualTo(
              List.of(
                  Map.of(
                      "kind",
                      "ServiceAccount",
                      "name",
                      syncName(backend),
                      "namespace",
                      Charts.NAMESPACE)));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theLeaseCanLiveInUpstreamsNamespace_withItsOwnRoleThere(Backend backend) {
    Manifests m =
        Charts.render(
            backend,
            "sync: {enabled: true, leaderElection: {namespace: secrets-store-sync-controller}}");

    assertThat(
            m.one("Deployment", syncName(backend))
                .at("spec.template.spec.containers.0.args")
                .strings())
        .contains("--leader-election-namespace=secrets-store-sync-controller")
        .doesNotContain("--leader-election-namespace=" + Charts.NAMESPACE);
    Node leaseRole = m.one("Role", syncName(backend) + "-leader-election");
    assertThat(leaseRole.at("metadata.namespace").string())
        .isEqualTo("secrets-store-sync-controller");
    assertThat(rules(leaseRole))
        .isEqualTo(List.of(groupRule("coordination.k8s.io", "leases", "get", "create", "update")));
    Node binding = m.one("RoleBinding", syncName(backend) + "-leader-election");
    assertThat(binding.at("metadata.namespace").string())
        .isEqualTo("secrets-store-sync-controller");
    assertThat(binding.get("subjects").value())
        .isEqualTo(
            List.of(
                Map.of(
                    "kind",
                    "ServiceAccount",
                    "name",
                    syncName(backend),
                    "namespace",
                    Charts.NAMESPACE)));
    assertThat(rules(m.one("Role", syncName(backend))))
        .noneMatch(rule -> rule.toString().contains("leases"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void enabledInstallsTheSecretSyncCrdKeptOnUninstallUnlessTurnedOff(Backend backend) {
    Node crd = Charts.render(backend, ENABLED).one("CustomResourceDefinition");

    assertThat(crd.at("metadata.name").string()).isEqualTo("secretsyncs.secret-sync.x-k8s.io");
    assertThat(crd.at("metadata.annotations").map())
        .containsEntry("helm.sh/resource-policy", "keep");
    assertThat(crd.at("spec.group").string()).isEqualTo("secret-sync.x-k8s.io");
    assertThat(crd.at("spec.scope").string()).isEqualTo("Namespaced");
    assertThat(crd.at("spec.names.kind").string()).isEqualTo("SecretSync");
    Node version = crd.at("spec.versions").named("v1alpha1");
    assertThat(version.get("storage").value()).isEqualTo(true);
    assertThat(version.at("subresources.status").map()).isEmpty();
    Node schema = version.at("schema.openAPIV3Schema.properties");
    assertThat(schema.at("spec.properties").map())
        .containsOnlyKeys(
            "secretProviderClassName",
            "serviceAccountName",
            "secretObject",
            "forceSynchronization",
            "secretSyncControllerName");
    assertThat(schema.at("spec.properties.secretObject.properties").map())
        .containsOnlyKeys("type", "data", "labels", "annotations");
    assertThat(schema.at("spec.properties.secretObject.properties.data.items.properties").map())
        .containsOnlyKeys("sourcePath", "targetKey");
    assertThat(schema.at("status.properties").map())
        .containsOnlyKeys("syncHash", "lastSuccessfulSyncTime", "conditions");

    assertThat(
            Charts.render(backend, "sync: {enabled: true, crd: {install: false}}")
                .ofKind("CustomResourceDefinition"))
        .isEmpty();
    assertThat(
            Charts.render(backend, "sync: {enabled: false, crd: {install: true}}")
                .ofKind("CustomResourceDefinition"))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void secretProviderClassCrdIsOptIn_forClustersWithoutTheDriver(Backend backend) {
    assertThat(Charts.render(backend, ENABLED).ofKind("CustomResourceDefinition"))
        .noneMatch(crd -> crd.at("metadata.name").string().startsWith("secretproviderclasses."));
    assertThat(
            Charts.render(
                    backend, "sync: {enabled: false, crd: {installSecretProviderClass: true}}")
                .ofKind("CustomResourceDefinition"))
        .isEmpty();

    Manifests m =
        Charts.render(backend, "sync: {enabled: true, crd: {installSecretProviderClass: true}}");
    Node crd =
        m.one("CustomResourceDefinition", "secretproviderclasses.secrets-store.csi.x-k8s.io");
    assertThat(crd.at("metadata.annotations").map())
        .containsEntry("helm.sh/resource-policy", "keep");
    assertThat(crd.at("spec.group").string()).isEqualTo("secrets-store.csi.x-k8s.io");
    assertThat(crd.at("spec.scope").string()).isEqualTo("Namespaced");
    assertThat(crd.at("spec.names.kind").string()).isEqualTo("SecretProviderClass");
    assertThat(crd.at("spec.names.plural").string()).isEqualTo("secretproviderclasses");
    Node version = crd.at("spec.versions").named("v1");
    assertThat(version.get("storage").value()).isEqualTo(true);
    Node spec = version.at("schema.openAPIV3Schema.properties.spec.properties");
    assertThat(spec.map()).containsKeys("provider", "parameters", "secretObjects");
    assertThat(spec.at("parameters.additionalProperties.type").string()).isEqualTo("string");
    // The SecretSync CRD is still there beside it.
    assertThat(m.one("CustomResourceDefinition", "secretsyncs.secret-sync.x-k8s.io")).isNotNull();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theControllerKnowsItsPodNameAndUid_whichItSendsAsTheMountsPod(Backend backend) {
    Node container =
        Charts.render(backend, ENABLED)
            .one("Deployment", syncName(backend))
            .at("spec.template.spec.containers")
            .named("sync-controller");
    assertThat(container.get("env").named("POD_NAME").at("valueFrom.fieldRef.fieldPath").string())
        .isEqualTo("metadata.name");
    assertThat(container.get("env").named("POD_UID").at("valueFrom.fieldRef.fieldPath").string())
        .isEqualTo("metadata.uid");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void syncOptionsReachTheDeployment(Backend backend) {
    Manifests m = Charts.renderEverythingOn(backend);
    Node deployment = m.one("Deployment", syncName(backend));
    Node container = deployment.at("spec.template.spec.containers.0");

    assertThat(deployment.at("spec.replicas").value()).isEqualTo(2);
    assertThat(deployment.at("spec.template.metadata.labels").map()).containsEntry("sync", "label");
    assertThat(container.get("args").strings()).endsWith("--rotation-poll-interval=1h");
    assertThat(container.get("image").string()).contains("@sha256:");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void updateStrategy_defaultsToSurgeBeforeRemoval_andIsSettable(Backend backend) {
    assertThat(Charts.render(backend, ENABLED).one("Deployment").at("spec.strategy").value())
        .isEqualTo(
            Map.of(
                "type",
                "RollingUpdate",
                "rollingUpdate",
                Map.of("maxSurge", 1, "maxUnavailable", 0)));
    assertThat(
            Charts.render(backend, "sync: {enabled: true, updateStrategy: {type: Recreate}}")
                .one("Deployment")
                .at("spec.strategy")
                .value())
        .isEqualTo(Map.of("type", "Recreate"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void podDisruptionBudget_isRenderedOnlyWhenEnabledWithMoreThanOneReplica(Backend backend) {
    assertThat(
            Charts.render(backend, "sync: {enabled: true, replicas: 3}")
                .ofKind("PodDisruptionBudget"))
        .isEmpty();
    assertThat(
            Charts.render(
                    backend,
                    "sync: {enabled: true, replicas: 1, podDisruptionBudget: {enabled: true}}")
                .ofKind("PodDisruptionBudget"))
        .isEmpty();
    assertThat(
            Charts.render(
                    backend,
                    "sync: {enabled: false, replicas: 3, podDisruptionBudget: {enabled: true}}")
                .ofKind("PodDisruptionBudget"))
        .isEmpty();

    Manifests m =
        Charts.render(
            backend, "sync: {enabled: true, replicas: 2, podDisruptionBudget: {enabled: true}}");
    Node budget = m.one("PodDisruptionBudget", syncName(backend));
    assertThat(budget.at("metadata.namespace").string()).isEqualTo(Charts.NAMESPACE);
    assertThat(budget.at("spec.maxUnavailable").value()).isEqualTo(1);
    assertThat(budget.at("spec.selector.matchLabels").map())
        .isEqualTo(m.one("Deployment").at("spec.selector.matchLabels").map());
    assertThat(
            Charts.render(
                    backend,
                    "sync: {enabled: true, replicas: 4, podDisruptionBudget: {enabled: true, maxUnavailable: 50%}}")
                .one("PodDisruptionBudget")
                .at("spec.maxUnavailable")
                .value())
        .isEqualTo("50%");
  }
}
