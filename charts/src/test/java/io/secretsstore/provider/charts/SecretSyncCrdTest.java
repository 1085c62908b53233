// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.charts.Manifests.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rendered SecretSync CRD's schema, applied as the API server applies it: it accepts every
 * SecretSync shape upstream's examples and tests create (our own copies of their shapes) and our
 * docs' examples, and refuses what upstream's schema refuses.
 */
class SecretSyncCrdTest {
  private static final Map<String, Object> SCHEMA = schema();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schema() {
    Node crd =
        Charts.render(Backend.VAULT, "sync: {enabled: true}")
            .one("CustomResourceDefinition", "secretsyncs.secret-sync.x-k8s.io");
    return (Map<String, Object>)
        crd.at("spec.versions").named("v1alpha1").at("schema.openAPIV3Schema").value();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) Manifests.parse(text).all().get(0).value();
  }

  private static List<String> errors(Map<String, Object> secretSync) {
    return StructuralSchema.validate(SCHEMA, StructuralSchema.withDefaults(SCHEMA, secretSync));
  }

  /**
   * A SecretSync of upstream's e2e setup (SPC e2e-providerspc, service account default, foo to bar)
   * with more secretObject fields.
   */
  private static String e2e(String name, String secretObject) {
    return """
        apiVersion: secret-sync.x-k8s.io/v1alpha1
        kind: SecretSync
        metadata: {name: %s}
        spec:
          serviceAccountName: default
          secretProviderClassName: e2e-providerspc
          secretObject:
            data:
              - {sourcePath: foo, targetKey: bar}
        %s"""
        .formatted(name, secretObject.indent(4));
  }

  /**
   * The shapes of upstream's example and test SecretSyncs that its CRD admits (written here, not
   * copied).
   */
  private static final Map<String, String> UPSTREAM_SHAPES =
      Map.of(
          "local setup and README: Opaque, one key", e2e("sse2esecret", "type: Opaque"),
          "a custom type (the controller, not the schema, refuses it)",
              e2e("my-custom-api-secret", "type: example.com/api-credentials"),
          "a service-account-token type with its annotation (the controller refuses it)",
              e2e(
                  "sse2eserviceaccountsecret",
                  """
          type: kubernetes.io/service-account-token
          annotations:
            kubernetes.io/service-account.name: default"""),
          "an annotation key no Secret can carry (refused when the Secret is written)",
              e2e(
                  "sse2einvalidannotationssecret",
                  """
          type: Opaque
          annotations:
            "my.annotation/with_invalid_characters!": default"""),
          "a label key no Secret can carry (refused when the Secret is written)",
              e2e(
                  "sse2einvalidlabelsecret",
                  """
          type: Opaque
          labels:
            "invalid/key_with_invalid_characters!": validValue"""),
          "no type: defaulted to Opaque; every optional field",
              """
          apiVersion: secret-sync.x-k8s.io/v1alpha1
          kind: SecretSync
          metadata: {name: all-fields}
          spec:
            serviceAccountName: app.sa-1
            secretProviderClassName: vault.db-1
            secretSyncControllerName: ""
            forceSynchronization: rotate-2026.11.28_1
            secretObject:
              data:
                - {sourcePath: tls.crt, targetKey: tls.crt}
                - {sourcePath: key/1, targetKey: key}
              labels: {app: billing, example.com/team: a}
              annotations: {note: "any text, even: colons"}
          """);

  @Test
  void everyUpstreamExampleShape_isAccepted() {
    UPSTREAM_SHAPES.forEach((what, text) -> assertThat(errors(yaml(text))).as(what).isEmpty());
    @SuppressWarnings("unchecked")
    Map<String, Object> defaulted =
        (Map<String, Object>)
            StructuralSchema.withDefaults(
                SCHEMA,
                yaml(UPSTREAM_SHAPES.get("no type: defaulted to Opaque; every optional field")));
    assertThat(new Node(defaulted, "").at("spec.secretObject.type").string()).isEqualTo("Opaque");
  }

  @Test
  void theDocsExamples_areAccepted() throws IOException {
    String docs =
        Files.readString(
            Path.of(System.getProperty("charts.source", ".")).resolve("../docs/sync.md"));
    Matcher block = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(docs);
    List<Map<String, Object>> examples = new ArrayList<>();
    while (block.find()) {
      for (Node document : Manifests.parse(block.group(1)).all()) {
        if ("SecretSync".equals(document.get("kind").string())) {
          @SuppressWarnings("unchecked")
          Map<String, Object> value = (Map<String, Object>) document.value();
          examples.add(value);
        }
      }
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
    examples.forEach(example -> assertThat(errors(example)).as(String.valueOf(example)).isEmpty());
  }

  private static Map<String, Object> valid() {
    return yaml(UPSTREAM_SHAPES.get("local setup and README: Opaque, one key"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> with(String field, Object value) {
    Map<String, Object> secretSync = valid();
    Map<String, Object> spec = new HashMap<>((Map<String, Object>) secretSync.get("spec"));
    Map<String, Object> secretObject =
        new HashMap<>((Map<String, Object>) spec.get("secretObject"));
    if (field.startsWith("secretObject.")) {
      secretObject.put(field.substring("secretObject.".length()), value);
    } else {
      spec.put(field, value);
    }
    spec.put("secretObject", secretObject);
    Map<String, Object> out = new HashMap<>(secretSync);
    out.put("spec", spec);
    return out;
  }

  @Test
  void whatUpstreamsSchemaRefuses_isRefused() {
    Map<String, Map<String, Object>> refused = new java.util.LinkedHashMap<>();
    refused.put(
        "a label value over 63 characters",
        with(
            "secretObject.labels",
            Map.of(
                "my.label", "ThisValueExceedsTheSixtyThreeCharacterLimitAndShouldFailValidation")));
    refused.put(
        "the reserved label prefix",
        with("secretObject.labels", Map.of("secrets-store.sync.x-k8s.io/x", "")));
    refused.put(
        "the reserved annotation",
        with("secretObject.annotations", Map.of("secrets-store.sync.x-k8s.io", "x")));
    refused.put(
        "an annotation value over 256 KiB",
        with("secretObject.annotations", Map.of("big", "x".repeat(262_145))));
    refused.put(
        "a duplicate targetKey",
        with(
            "secretObject.data",
            List.of(
                Map.of("sourcePath", "a1", "targetKey", "k"),
                Map.of("sourcePath", "b1", "targetKey", "k"))));
    refused.put("no data", with("secretObject.data", List.of()));
    refused.put(
        "an empty sourcePath",
        with("secretObject.data", List.of(Map.of("sourcePath", "", "targetKey", "k"))));
    refused.put(
        "a sourcePath with a slash and letters",
        with("secretObject.data", List.of(Map.of("sourcePath", "db/password", "targetKey", "k"))));
    refused.put(
        "a targetKey with a space",
        with("secretObject.data", List.of(Map.of("sourcePath", "a", "targetKey", "a b"))));
    refused.put("an upper-case SecretProviderClass name", with("secretProviderClassName", "Vault"));
    refused.put("a service account name with an underscore", with("serviceAccountName", "my_app"));
    refused.put(
        "forceSynchronization with colons", with("forceSynchronization", "2026-11-28T19:00:00Z"));
    refused.put("a type over 253 characters", with("secretObject.type", "t".repeat(254)));
    refused.forEach((what, secretSync) -> assertThat(errors(secretSync)).as(what).isNotEmpty());
    assertThat(errors(refused.get("a label value over 63 characters")))
        .containsExactly(
            ".spec.secretObject.labels: label keys have at most 317 characters (253 prefix, slash, 63 name) and values at most 63");

    Map<String, Object> noSpc = valid();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = new HashMap<>((Map<String, Object>) noSpc.get("spec"));
    spec.remove("secretProviderClassName");
    noSpc.put("spec", spec);
    assertThat(errors(noSpc)).containsExactly(".spec.secretProviderClassName: required");
  }

  private static Map<String, Object> condition(
      String type, String status, String reason, String message) {
    Map<String, Object> condition = new HashMap<>();
    condition.put("type", type);
    condition.put("status", status);
    condition.put("reason", reason);
    condition.put("message", message);
    condition.put("lastTransitionTime", "2026-11-28T10:00:00Z");
    condition.put("observedGeneration", 1);
    return condition;
  }

  private static Map<String, Object> withConditions(List<Map<String, Object>> conditions) {
    Map<String, Object> secretSync = valid();
    secretSync.put(
        "status",
        Map.of(
            "syncHash",
            "hmac-sha256:abc",
            "lastSuccessfulSyncTime",
            "2026-11-28T10:00:00Z",
            "conditions",
            conditions));
    return secretSync;
  }

  @Test
  void theStatusTheControllerWrites_isAccepted_andTheConditionLimitsHold() {
    assertThat(
            errors(
                withConditions(
                    List.of(
                        condition("SecretCreated", "Unknown", "SyncStarting", ""),
                        condition("SecretUpdated", "Unknown", "NoUpdatesAttemptedYet", "")))))
        .isEmpty();
    assertThat(
            errors(
                withConditions(
                    List.of(
                        condition(
                            "SecretCreated",
                            "True",
                            "CreateSuccessful",
                            "Secret created successfully."),
                        condition(
                            "SecretUpdated",
                            "False",
                            "ProviderError",
                            "the backend denied the service account")))))
        .isEmpty();

    assertThat(
            errors(
                withConditions(List.of(condition("SecretCreated", "Maybe", "SyncStarting", "")))))
        .isNotEmpty();
    assertThat(errors(withConditions(List.of(condition("SecretCreated", "True", "", "")))))
        .isNotEmpty();
    assertThat(
            errors(
                withConditions(List.of(condition("SecretCreated", "True", "Not a reason!", "")))))
        .isNotEmpty();
    assertThat(
            errors(
                withConditions(
                    List.of(
                        condition("SecretCreated", "True", "CreateSuccessful", ""),
                        condition("SecretCreated", "True", "CreateSuccessful", "")))))
        .isNotEmpty();
    List<Map<String, Object>> seventeen = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      seventeen.add(condition("Type" + i, "True", "R", ""));
    }
    assertThat(errors(withConditions(seventeen)))
        .contains(".status.conditions: more than 16 items");
    Map<String, Object> noMessage = condition("SecretCreated", "True", "CreateSuccessful", "");
    noMessage.remove("message");
    assertThat(errors(withConditions(List.of(noMessage))))
        .contains(".status.conditions[0].message: required");
  }
}
