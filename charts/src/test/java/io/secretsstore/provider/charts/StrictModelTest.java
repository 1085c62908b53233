// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every object each chart renders parses strictly into its fabric8 model class (StrictModel). */
class StrictModelTest {
  /** Values that switch on what "everything on" cannot hold at once (each is a separate render). */
  private static final List<String> SINGLE_OPTIONS =
      List.of(
          "{}",
          "sync: {enabled: true}",
          "sync: {enabled: true, crd: {installSecretProviderClass: true}}",
          "serviceMonitor: {enabled: true}",
          "podMonitor: {enabled: true}",
          "socketDirInit: {enabled: false}",
          "rbac: {create: false}",
          "serviceAccount: {create: false}",
          "fingerprintSecretName: ''");

  private static List<HasMetadata> parseAll(Manifests m) {
    return m.all().stream().map(StrictModel::parse).toList();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void defaultsSyncAndSingleOptions_parseStrictly(Backend backend) {
    for (String values : SINGLE_OPTIONS) {
      Manifests m = Charts.render(backend, values);
      assertThat(parseAll(m)).as(values).hasSize(m.all().size());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyOptionOn_parsesStrictly(Backend backend) {
    Manifests m = Charts.renderEverythingOn(backend);

    List<HasMetadata> objects = parseAll(m);
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains(
            "DaemonSet",
            "Deployment",
            "PodDisruptionBudget",
            "ServiceMonitor",
            "PodMonitor",
            "CustomResourceDefinition",
            "ClusterRole",
            "Role",
            "ConfigMap",
            "Service");
    DaemonSet daemonSet =
        (DaemonSet) objects.stream().filter(DaemonSet.class::isInstance).findFirst().orElseThrow();
    // The typed view sees the pass-through values where Kubernetes reads them.
    assertThat(daemonSet.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup())
        .isEqualTo(10003L);
    assertThat(
            daemonSet
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext()
                .getAppArmorProfile()
                .getType())
        .isEqualTo("Localhost");
  }

  @Test
  void aMisplacedFieldFailsTheParse() {
    Manifests m =
        Manifests.parse(
            """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: x}
        spec:
          template:
            spec:
              containers: [{name: c, image: i, volumeMount: []}]
        """);

    assertThatThrownBy(() -> StrictModel.parse(m.one("DaemonSet")))
        .hasMessageContaining("DaemonSet/x.spec.template.spec.containers[0].volumeMount");
  }

  @Test
  void aWrongApiVersionOrUnknownKindFailsTheParse() {
    assertThatThrownBy(
            () ->
                StrictModel.parse(
                    Manifests.parse(
                            "{apiVersion: policy/v1beta1, kind: PodDisruptionBudget, metadata: {name: x}}")
                        .one("PodDisruptionBudget")))
        .hasMessageContaining("expected policy/v1");
    assertThatThrownBy(
            () ->
                StrictModel.parse(
                    Manifests.parse("{apiVersion: v1, kind: Nonsense, metadata: {name: x}}")
                        .one("Nonsense")))
        .hasMessageContaining("no model class");
  }
}
