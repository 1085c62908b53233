// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.charts.Manifests.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pod values a platform team would otherwise fork for, on the provider DaemonSet and the sync
 * Deployment.
 */
class PodOptionsTest {
  private static Node podSpec(Manifests m, String kind) {
    return m.one(kind).at("spec.template.spec");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void podSecurityContext_passesThroughOnBothWorkloads_overTheFixedNonRootIdentity(
      Backend backend) {
    Manifests m =
        Charts.render(
            backend,
            """
        sync: {enabled: true}
        podSecurityContext:
          fsGroup: 2000
          fsGroupChangePolicy: OnRootMismatch
          supplementalGroups: [3000]
          seLinuxOptions: {level: "s0:c1,c2"}
          appArmorProfile: {type: RuntimeDefault}
          sysctls: [{name: net.ipv4.ping_group_range, value: "0 2147483647"}]
        """);

    for (String kind : List.of("DaemonSet", "Deployment")) {
      assertThat(podSpec(m, kind).get("securityContext").map())
          .as(kind)
          .isEqualTo(
              Map.of(
                  "runAsNonRoot",
                  true,
                  "runAsUser",
                  65532,
                  "runAsGroup",
                  65532,
                  "seccompProfile",
                  Map.of("type", "RuntimeDefault"),
                  "fsGroup",
                  2000,
                  "fsGroupChangePolicy",
                  "OnRootMismatch",
                  "supplementalGroups",
                  List.of(3000),
                  "seLinuxOptions",
                  Map.of("level", "s0:c1,c2"),
                  "appArmorProfile",
                  Map.of("type", "RuntimeDefault"),
                  "sysctls",
                  List.of(Map.of("name", "net.ipv4.ping_group_range", "value", "0 2147483647"))));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void podSecurityContext_mayReplaceTheSeccompProfileButNeverTheNonRootIdentity(Backend backend) {
    Node context =
        podSpec(
                Charts.render(
                    backend,
                    "podSecurityContext: {seccompProfile: {type: Localhost, localhostProfile: p.json}}"),
                "DaemonSet")
            .get("securityContext");
    assertThat(context.get("seccompProfile").map())
        .isEqualTo(Map.of("type", "Localhost", "localhostProfile", "p.json"));

    for (String values :
        List.of(
            "podSecurityContext: {runAsNonRoot: false}",
            "podSecurityContext: {runAsUser: 0}",
            "podSecurityContext: {runAsGroup: 0}",
            "podSecurityContext: {fsGroup: '2000'}",
            "podSecurityContext: {seLinux: {}}")) {
      assertThatThrownBy(() -> Charts.render(backend, values))
          .as(values)
          .hasMessageContaining("values don't meet the specifications of the schema");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void extraVolumesAndMounts_reachTheProvider(Backend backend) {
    Manifests m =
        Charts.render(
            backend,
            """
        extraVolumes: [{name: audit, hostPath: {path: /var/log/ssp, type: DirectoryOrCreate}}]
        extraVolumeMounts: [{name: audit, mountPath: /var/log/ssp}]
        config: {auditLog: /var/log/ssp/audit.log}
        sync: {enabled: true}
        """);
    Node spec = podSpec(m, "DaemonSet");

    assertThat(spec.get("volumes").named("audit").value())
        .isEqualTo(
            Map.of(
                "name",
                "audit",
                "hostPath",
                Map.of("path", "/var/log/ssp", "type", "DirectoryOrCreate")));
    assertThat(spec.at("containers.0.volumeMounts").named("audit").value())
        .isEqualTo(Map.of("name", "audit", "mountPath", "/var/log/ssp"));
    // The provider's own volumes stay.
    assertThat(spec.get("volumes").list())
        .extracting(v -> v.get("name").string())
        .contains("providers-dir", "tmp", "config");
    // The sync controller has its own list: the provider's host path is not mounted there.
    assertThat(podSpec(m, "Deployment").get("volumes").list())
        .extracting(v -> v.get("name").string())
        .doesNotContain("audit");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void syncExtraVolumesAndMounts_reachTheControllerOnly(Backend backend) {
    Manifests m =
        Charts.render(
            backend,
            """
        sync:
          enabled: true
          extraVolumes: [{name: trust, configMap: {name: corporate-trust}}]
          extraVolumeMounts: [{name: trust, mountPath: /etc/trust, readOnly: true}]
        """);

    assertThat(podSpec(m, "Deployment").get("volumes").named("trust").at("configMap.name").string())
        .isEqualTo("corporate-trust");
    assertThat(podSpec(m, "Deployment").at("containers.0.volumeMounts").named("trust").value())
        .isEqualTo(Map.of("name", "trust", "mountPath", "/etc/trust", "readOnly", true));
    assertThat(podSpec(m, "DaemonSet").get("volumes").list())
        .extracting(v -> v.get("name").string())
        .doesNotContain("trust");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void extraVolumeMountsNeedANameAndAnAbsolutePath(Backend backend) {
    for (String values :
        List.of(
            "extraVolumeMounts: [{mountPath: /x}]",
            "extraVolumeMounts: [{name: x, mountPath: rel}]",
            "extraVolumes: [{hostPath: {path: /x}}]",
            "sync: {extraVolumeMounts: [{name: x}]}")) {
      assertThatThrownBy(() -> Charts.render(backend, values))
          .as(values)
          .hasMessageContaining("values don't meet the specifications of the schema");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void dnsPolicy_isKubernetesDefaultUnlessSet_perWorkload(Backend backend) {
    Manifests defaults = Charts.render(backend, "sync: {enabled: true}");
    assertThat(podSpec(defaults, "DaemonSet").get("dnsPolicy").isMissing()).isTrue();
    assertThat(podSpec(defaults, "Deployment").get("dnsPolicy").isMissing()).isTrue();

    Manifests set =
        Charts.render(
            backend,
            "{dnsPolicy: Default, sync: {enabled: true, dnsPolicy: ClusterFirstWithHostNet}}");
    assertThat(podSpec(set, "DaemonSet").get("dnsPolicy").string()).isEqualTo("Default");
    assertThat(podSpec(set, "Deployment").get("dnsPolicy").string())
        .isEqualTo("ClusterFirstWithHostNet");

    assertThatThrownBy(() -> Charts.render(backend, "dnsPolicy: Cluster"))
        .hasMessageContaining("schema");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void tolerations_areOnlyThoseGiven(Backend backend) {
    Node spec =
        podSpec(
            Charts.render(
                backend, "tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]"),
            "DaemonSet");

    assertThat(spec.get("tolerations").value())
        .isEqualTo(
            List.of(Map.of("key", "dedicated", "operator", "Exists", "effect", "NoSchedule")));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void affinity_addsToTheVirtualNodeExclusion_andNullDropsIt(Backend backend) {
    Map<String, Object> preferred =
        Map.of(
            "weight",
            1,
            "preference",
            Map.of(
                "matchExpressions",
                List.of(Map.of("key", "pool", "operator", "In", "values", List.of("secrets")))));
    Node merged =
        podSpec(
            Charts.render(
                backend,
                "affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: ["
                    + "{weight: 1, preference: {matchExpressions: [{key: pool, operator: In, values: [secrets]}]}}]}}"),
            "DaemonSet");
    assertThat(
            merged
                .at("affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution")
                .value())
        .isEqualTo(List.of(preferred));
    assertThat(
            merged
                .at("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution")
                .isMissing())
        .isFalse();

    assertThat(
            podSpec(Charts.render(backend, "affinity: null"), "DaemonSet")
                .get("affinity")
                .isMissing())
        .isTrue();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void updateStrategies_withoutRollingUpdateParametersDropTheDefaultOnes(Backend backend) {
    Manifests m =
        Charts.render(
            backend,
            "{updateStrategy: {type: OnDelete}, sync: {enabled: true, updateStrategy: {type: Recreate}}}");

    assertThat(m.one("DaemonSet").at("spec.updateStrategy").value())
        .isEqualTo(Map.of("type", "OnDelete"));
    assertThat(m.one("Deployment").at("spec.strategy").value())
        .isEqualTo(Map.of("type", "Recreate"));
  }
}
