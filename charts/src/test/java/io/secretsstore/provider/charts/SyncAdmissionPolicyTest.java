// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.charts.AdmissionPolicies.Verdict;
import io.secretsstore.provider.charts.Manifests.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sync controller's ValidatingAdmissionPolicies, rendered by Helm and their CEL run by the CEL
 * reference implementation against requests they must allow and refuse.
 */
class SyncAdmissionPolicyTest {
  private static final String ENABLED = "sync: {enabled: true}";
  private static final String OWNER_LABEL = "secrets-store.sync.x-k8s.io";

  private static String name(Backend backend) {
    return Charts.RELEASE + "-" + backend.chart() + "-sync";
  }

  private static String controller(Backend backend) {
    return "system:serviceaccount:" + Charts.NAMESPACE + ":" + name(backend);
  }

  private static Node policy(Manifests m, Backend backend, String suffix) {
    return m.one("ValidatingAdmissionPolicy", name(backend) + "-" + suffix);
  }

  /**
   * A Secret as the controller applies it: one SecretSync owner of the same name, the reserved
   * label.
   */
  private static Map<String, Object> secret(
      String type, List<Map<String, Object>> owners, Map<String, String> labels) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("name", "db");
    metadata.put("namespace", "team-a");
    if (owners != null) {
      metadata.put("ownerReferences", owners);
    }
    if (labels != null) {
      metadata.put("labels", labels);
    }
    Map<String, Object> secret = new HashMap<>();
    secret.put("apiVersion", "v1");
    secret.put("kind", "Secret");
    secret.put("metadata", metadata);
    secret.put("type", type);
    secret.put("data", Map.of("password", "c2VjcmV0"));
    return secret;
  }

  private static Map<String, Object> owner(String kind, String name) {
    return Map.of(
        "apiVersion",
        "secret-sync.x-k8s.io/v1alpha1",
        "kind",
        kind,
        "name",
        name,
        "uid",
        "u-1",
        "controller",
        true);
  }

  private static Map<String, Object> synced(String type) {
    return secret(type, List.of(owner("SecretSync", "db")), Map.of(OWNER_LABEL, "", "team", "a"));
  }

  private static Verdict secretWrite(
      Node policy,
      Backend backend,
      String operation,
      Map<String, Object> object,
      Map<String, Object> old) {
    return AdmissionPolicies.apply(
        policy, controller(backend), operation, "", "secrets", object, old);
  }

  @Test
  void policiesAreBoundToDeny_andOnlyTheControllersRequestsMatch() {
    Manifests m = Charts.render(Backend.VAULT, ENABLED);
    List<Node> policies = m.ofKind("ValidatingAdmissionPolicy");
    assertThat(policies)
        .extracting(p -> p.at("metadata.name").string())
        .containsExactlyInAnyOrder(
            name(Backend.VAULT) + "-secret-type",
            name(Backend.VAULT) + "-secret-owner",
            name(Backend.VAULT) + "-no-delete",
            name(Backend.VAULT) + "-token-request",
            name(Backend.VAULT) + "-secretsync-metadata");
    for (Node policy : policies) {
      String policyName = policy.at("metadata.name").string();
      assertThat(policy.at("apiVersion").string()).isEqualTo("admissionregistration.k8s.io/v1");
      assertThat(policy.at("spec.failurePolicy").string()).isEqualTo("Fail");
      Node binding = m.one("ValidatingAdmissionPolicyBinding", policyName);
      assertThat(binding.at("spec.policyName").string()).isEqualTo(policyName);
      assertThat(binding.at("spec.validationActions").strings()).containsExactly("Deny");
    }
    // Another user writing a service-account-token Secret is not this chart's business.
    Verdict other =
        AdmissionPolicies.apply(
            policy(m, Backend.VAULT, "secret-type"),
            "system:serviceaccount:team-a:app",
            "CREATE",
            "",
            "secrets",
            synced("kubernetes.io/service-account-token"),
            null);
    assertThat(other.matched()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Opaque",
        "kubernetes.io/basic-auth",
        "kubernetes.io/dockercfg",
        "kubernetes.io/dockerconfigjson",
        "kubernetes.io/ssh-auth",
        "kubernetes.io/tls"
      })
  void allowedTypes_areWritten(String type) {
    Node policy = policy(Charts.render(Backend.VAULT, ENABLED), Backend.VAULT, "secret-type");
    Verdict verdict = secretWrite(policy, Backend.VAULT, "CREATE", synced(type), null);
    assertThat(verdict.matched()).isTrue();
    assertThat(verdict.denials()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kubernetes.io/service-account-token",
        "bootstrap.kubernetes.io/token",
        "example.com/api-credentials"
      })
  void otherTypes_areRefused_onCreateAndUpdate(String type) {
    Node policy = policy(Charts.render(Backend.VAULT, ENABLED), Backend.VAULT, "secret-type");
    for (String operation : List.of("CREATE", "UPDATE")) {
      Verdict verdict =
          secretWrite(policy, Backend.VAULT, operation, synced(type), synced("Opaque"));
      assertThat(verdict.denials()).as(operation).isNotEmpty();
    }
  }

  @Test
  void theAllowedTypesComeFromTheConfigurationFile_butNeverTheServiceAccountToken() {
    Node policy =
        policy(
            Charts.render(
                Backend.VAULT,
                "{sync: {enabled: true}, config: {syncAllowedSecretTypes: [Opaque, bootstrap.kubernetes.io/token]}}"),
            Backend.VAULT,
            "secret-type");
    assertThat(
            secretWrite(
                    policy, Backend.VAULT, "CREATE", synced("bootstrap.kubernetes.io/token"), null)
                .allowed())
        .isTrue();
    assertThat(
            secretWrite(policy, Backend.VAULT, "CREATE", synced("kubernetes.io/tls"), null)
                .denials())
        .singleElement()
        .asString()
        .contains("kubernetes.io/tls")
        .contains("config.syncAllowedSecretTypes");

    assertThatThrownBy(
            () ->
                Charts.render(
                    Backend.VAULT,
                    "{sync: {enabled: true}, config: {syncAllowedSecretTypes: [kubernetes.io/service-account-token]}}"))
        .hasMessageContaining(
            "config.syncAllowedSecretTypes: kubernetes.io/service-account-token cannot be allowed");
    assertThatThrownBy(
            () ->
                Charts.render(
                    Backend.VAULT,
                    "{sync: {enabled: true}, config: {syncAllowedSecretTypes: [\"Opaque' || true || '\"]}}"))
        .hasMessageContaining("config.syncAllowedSecretTypes: entries are names");
  }

  @Test
  void theControllerWritesOnlySecretsOfItsSecretSync_andNeverChangesAnotherOwnersSecret() {
    Node policy = policy(Charts.render(Backend.VAULT, ENABLED), Backend.VAULT, "secret-owner");
    Map<String, Object> ours = synced("Opaque");
    assertThat(secretWrite(policy, Backend.VAULT, "CREATE", ours, null).allowed()).isTrue();
    assertThat(secretWrite(policy, Backend.VAULT, "UPDATE", ours, synced("Opaque")).allowed())
        .isTrue();

    Map<String, String> label = Map.of(OWNER_LABEL, "");
    List<Map<String, Object>> refusedNew =
        List.of(
            secret("Opaque", null, label),
            secret("Opaque", List.of(owner("SecretSync", "other")), label),
            secret("Opaque", List.of(owner("Deployment", "db")), label),
            secret("Opaque", List.of(owner("SecretSync", "db"), owner("SecretSync", "db")), label),
            secret("Opaque", List.of(owner("SecretSync", "db")), null),
            secret("Opaque", List.of(owner("SecretSync", "db")), Map.of(OWNER_LABEL, "x")));
    for (Map<String, Object> refused : refusedNew) {
      assertThat(secretWrite(policy, Backend.VAULT, "CREATE", refused, null).denials())
          .as(refused.toString())
          .isNotEmpty();
    }
    // A Secret someone else made (no owner, no label) is not taken over by an apply that adds both.
    Map<String, Object> foreign = secret("Opaque", null, Map.of("team", "a"));
    assertThat(secretWrite(policy, Backend.VAULT, "UPDATE", ours, foreign).denials())
        .singleElement()
        .asString()
        .contains("changes only Secrets that already belong to the SecretSync");
    Map<String, Object> ownedUnlabelled =
        secret("Opaque", List.of(owner("SecretSync", "db")), null);
    assertThat(secretWrite(policy, Backend.VAULT, "UPDATE", ours, ownedUnlabelled).denials())
        .isNotEmpty();
  }

  @Test
  void theControllerDeletesNoSecret() {
    Node policy = policy(Charts.render(Backend.VAULT, ENABLED), Backend.VAULT, "no-delete");
    assertThat(
            AdmissionPolicies.apply(
                    policy,
                    controller(Backend.VAULT),
                    "DELETE",
                    "",
                    "secrets",
                    null,
                    synced("Opaque"))
                .denials())
        .isNotEmpty();
    assertThat(
            AdmissionPolicies.apply(
                    policy,
                    controller(Backend.VAULT),
                    "CREATE",
                    "",
                    "secrets",
                    synced("Opaque"),
                    null)
                .matched())
        .isFalse();
  }

  private static Map<String, Object> tokenRequest(long seconds, String... audiences) {
    return Map.of(
        "apiVersion",
        "authentication.k8s.io/v1",
        "kind",
        "TokenRequest",
        "spec",
        Map.of("expirationSeconds", seconds, "audiences", List.of(audiences)));
  }

  private static Verdict mint(Node policy, Backend backend, Map<String, Object> request) {
    return AdmissionPolicies.apply(
        policy, controller(backend), "CREATE", "", "serviceaccounts/token", request, null);
  }

  @ParameterizedTest
  @EnumSource(
      value = Backend.class,
      names = {"VAULT", "AWS", "AZURE"})
  void tokens_areSixHundredSecondsWithOneOfTheControllersAudiences(Backend backend) {
    Node policy = policy(Charts.render(backend, ENABLED), backend, "token-request");
    String audience =
        switch (backend) {
          case VAULT -> "vault";
          case AWS -> "sts.amazonaws.com";
          case AZURE -> "api://AzureADTokenExchange";
          case GCP -> throw new IllegalStateException();
        };
    assertThat(mint(policy, backend, tokenRequest(600, audience)).allowed()).isTrue();
    assertThat(mint(policy, backend, tokenRequest(3600, audience)).denials()).isNotEmpty();
    assertThat(mint(policy, backend, tokenRequest(600, audience, "other")).denials()).isNotEmpty();
    assertThat(mint(policy, backend, tokenRequest(600, "other")).denials()).isNotEmpty();
    assertThat(
            mint(policy, backend, Map.of("spec", Map.of("audiences", List.of(audience)))).denials())
        .isNotEmpty();
  }

  @Test
  void tokenAudiences_replaceTheBackendsDefault_andGcpWithoutOneMintsNothing() {
    Node gcp = policy(Charts.render(Backend.GCP, ENABLED), Backend.GCP, "token-request");
    assertThat(mint(gcp, Backend.GCP, tokenRequest(600, "//iam.googleapis.com/pool")).denials())
        .isNotEmpty();

    Manifests configured =
        Charts.render(
            Backend.GCP,
            "sync: {enabled: true, tokenAudiences: [\"//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k\"]}");
    String audience =
        "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k";
    assertThat(
            mint(
                    policy(configured, Backend.GCP, "token-request"),
                    Backend.GCP,
                    tokenRequest(600, audience))
                .allowed())
        .isTrue();
    assertThat(
            configured
                .one("Deployment", name(Backend.GCP))
                .at("spec.template.spec.containers.0.args")
                .strings())
        .contains("--token-request-audience=" + audience);
  }

  private static Map<String, Object> secretSync(Map<String, Object> secretObject) {
    Map<String, Object> object = new HashMap<>(secretObject);
    object.putIfAbsent("type", "Opaque");
    object.putIfAbsent("data", List.of(Map.of("sourcePath", "foo", "targetKey", "bar")));
    return Map.of(
        "apiVersion",
        "secret-sync.x-k8s.io/v1alpha1",
        "kind",
        "SecretSync",
        "metadata",
        Map.of("name", "sse2esecret", "namespace", "team-a"),
        "spec",
        Map.of(
            "serviceAccountName",
            "default",
            "secretProviderClassName",
            "e2e-providerspc",
            "secretObject",
            object));
  }

  private static Verdict createSecretSync(Node policy, Map<String, Object> secretSync) {
    return AdmissionPolicies.apply(
        policy,
        "system:serviceaccount:team-a:deployer",
        "CREATE",
        "secret-sync.x-k8s.io",
        "secretsyncs",
        secretSync,
        null);
  }

  @Test
  void secretSyncs_withLabelsOrAnnotationsNoSecretCouldCarry_areRefused_andValidOnesPass() {
    Node policy =
        policy(Charts.render(Backend.VAULT, ENABLED), Backend.VAULT, "secretsync-metadata");
    List<Map<String, Object>> accepted =
        new ArrayList<>(
            List.of(
                Map.of(),
                Map.of("labels", Map.of("app", "billing", "example.com/team", "a-1", "empty", "")),
                Map.of(
                    "annotations",
                    Map.of(
                        "kubernetes.io/service-account.name",
                        "default",
                        "note",
                        "any value: even spaces!"))));
    for (Map<String, Object> secretObject : accepted) {
      assertThat(createSecretSync(policy, secretSync(secretObject)).allowed())
          .as(secretObject.toString())
          .isTrue();
    }
    // The label and annotation keys of upstream's negative examples, and a label value too long.
    List<Map<String, Object>> refused =
        List.of(
            Map.of("labels", Map.of("invalid/key_with_invalid_characters!", "validValue")),
            Map.of("annotations", Map.of("my.annotation/with_invalid_characters!", "default")),
            Map.of(
                "labels",
                Map.of(
                    "my.label",
                    "ThisValueExceedsTheSixtyThreeCharacterLimitAndShouldFailValidation")),
            Map.of("labels", Map.of("Upper.Case/prefix", "x")));
    for (Map<String, Object> secretObject : refused) {
      assertThat(createSecretSync(policy, secretSync(secretObject)).denials())
          .as(secretObject.toString())
          .isNotEmpty();
    }
  }

  @Test
  void withoutPolicies_nothingIsRendered_andTheControllerReadsSecretsByNameInstead() {
    Manifests m =
        Charts.render(Backend.VAULT, "sync: {enabled: true, admissionPolicies: {enabled: false}}");
    assertThat(m.ofKind("ValidatingAdmissionPolicy")).isEmpty();
    assertThat(m.ofKind("ValidatingAdmissionPolicyBinding")).isEmpty();
    assertThat(
            m.one("Deployment", name(Backend.VAULT))
                .at("spec.template.spec.containers.0.args")
                .strings())
        .contains("--secret-owner-check=read");
    assertThat(Charts.render(Backend.VAULT, "{}").ofKind("ValidatingAdmissionPolicy")).isEmpty();
  }
}
