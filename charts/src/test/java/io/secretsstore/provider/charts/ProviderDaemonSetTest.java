// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.charts.Manifests.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProviderDaemonSetTest {
  private static final String DEFAULT_DIR = "/etc/kubernetes/secrets-store-csi-providers";

  private static Node podSpec(Manifests m) {
    return m.one("DaemonSet").at("spec.template.spec");
  }

  private static Node provider(Manifests m) {
    return podSpec(m).get("containers").named("provider");
  }

  /** The value of a --flag=value argument; fails when the flag is absent or repeated. */
  private static String flag(Node container, String name) {
    List<String> values =
        container.get("args").strings().stream()
            .filter(a -> a.startsWith(name + "="))
            .map(a -> a.substring(name.length() + 1))
            .toList();
    assertThat(values).as("%s in %s", name, container.get("args")).hasSize(1);
    return values.get(0);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void runsServeForItsBackend(Backend backend) {
    Node provider = provider(Charts.render(backend, "{}"));

    // No command: the image's entrypoint is the CLI (the distroless image has no shell to run a
    // launcher).
    assertThat(provider.get("command").isMissing()).isTrue();
    assertThat(provider.get("args").strings().subList(0, 3))
        .containsExactly("serve", "--backend", backend.id());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void socketDirIsTheHostPathMountedAtTheSamePath(Backend backend) {
    for (Manifests m :
        List.of(
            Charts.render(backend, "{}"),
            Charts.render(backend, "providersDir: /var/run/secrets-store-csi-providers"))) {
      Node spec = podSpec(m);
      Node provider = provider(m);
      String socketDir = flag(provider, "--socket-dir");
      Node volume = spec.get("volumes").named("providers-dir");

      assertThat(volume.at("hostPath.path").string()).isEqualTo(socketDir);
      assertThat(volume.at("hostPath.type").string()).isEqualTo("DirectoryOrCreate");
      assertThat(provider.get("volumeMounts").named("providers-dir").get("mountPath").string())
          .isEqualTo(socketDir);
    }
    assertThat(flag(provider(Charts.render(backend, "{}")), "--socket-dir")).isEqualTo(DEFAULT_DIR);
    assertThat(
            flag(
                provider(
                    Charts.render(backend, "providersDir: /var/run/secrets-store-csi-providers")),
                "--socket-dir"))
        .isEqualTo("/var/run/secrets-store-csi-providers");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void providerNameDefaultsToTheUpstreamNameAndCanBeOverridden(Backend backend) {
    assertThat(flag(provider(Charts.render(backend, "{}")), "--provider-name"))
        .isEqualTo(backend.id());
    assertThat(
            flag(
                provider(Charts.render(backend, "providerName: " + backend.id() + "-next")),
                "--provider-name"))
        .isEqualTo(backend.id() + "-next");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void securityContextsAreExactlyNonRootReadOnlyWithoutCapabilitiesOrEscalation(Backend backend) {
    Manifests m = Charts.render(backend, "{}");

    assertThat(podSpec(m).get("securityContext").map())
        .isEqualTo(
            Map.of(
                "runAsNonRoot",
                true,
                "runAsUser",
                65532,
                "runAsGroup",
                65532,
                "seccompProfile",
                Map.of("type", "RuntimeDefault")));
    assertThat(provider(m).get("securityContext").map())
        .isEqualTo(
            Map.of(
                "runAsNonRoot",
                true,
                "runAsUser",
                65532,
                "runAsGroup",
                65532,
                "privileged",
                false,
                "allowPrivilegeEscalation",
                false,
                "readOnlyRootFilesystem",
                true,
                "capabilities",
                Map.of("drop", List.of("ALL")),
                "seccompProfile",
                Map.of("type", "RuntimeDefault")));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void neverUsesTheHostNetworkNorMountsTheKubeletDirectory(Backend backend) {
    // Besides the socket directory, only what extraVolumes asks for (everything-on adds an audit
    // log directory).
    Map<Manifests, List<String>> expectedHostPaths =
        Map.of(
            Charts.render(backend, "{}"), List.of("providers-dir"),
            Charts.renderEverythingOn(backend), List.of("providers-dir", "audit"));
    expectedHostPaths.forEach(
        (m, expected) -> {
          Node spec = podSpec(m);

          assertThat(spec.get("hostNetwork").value()).isEqualTo(false);
          assertThat(spec.get("hostPID").isMissing()).isTrue();
          assertThat(spec.get("hostIPC").isMissing()).isTrue();
          List<Node> hostPaths =
              spec.get("volumes").list().stream()
                  .filter(v -> !v.get("hostPath").isMissing())
                  .toList();
          assertThat(hostPaths)
              .extracting(v -> v.get("name").string())
              .containsExactlyElementsOf(expected);
          assertThat(m.all().toString()).doesNotContain("/var/lib/kubelet");
          assertThat(provider(m).get("ports").list())
              .allSatisfy(p -> assertThat(p.get("hostPort").isMissing()).isTrue());
        });
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void probesHitLivezAndReadyzOnTheHealthPortAndMetricsHasItsOwnPort(Backend backend) {
    Node provider = provider(Charts.render(backend, "{}"));

    assertThat(flag(provider, "--health-addr")).isEqualTo(":8080");
    assertThat(flag(provider, "--metrics-addr")).isEqualTo(":8095");
    assertThat(provider.get("ports").named("health").get("containerPort").value()).isEqualTo(8080);
    assertThat(provider.get("ports").named("metrics").get("containerPort").value()).isEqualTo(8095);
    assertThat(provider.at("livenessProbe.httpGet.path").string()).isEqualTo("/livez");
    assertThat(provider.at("livenessProbe.httpGet.port").string()).isEqualTo("health");
    assertThat(provider.at("readinessProbe.httpGet.path").string()).isEqualTo("/readyz");
    assertThat(provider.at("readinessProbe.httpGet.port").string()).isEqualTo("health");

    Node moved = provider(Charts.render(backend, "ports: {health: 9080, metrics: 9095}"));
    assertThat(flag(moved, "--health-addr")).isEqualTo(":9080");
    assertThat(flag(moved, "--metrics-addr")).isEqualTo(":9095");
    assertThat(moved.get("ports").named("health").get("containerPort").value()).isEqualTo(9080);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void resourcesDefault_memoryRequestsEqualLimits_cpuBurstsForStartUp(Backend backend) {
    assertThat(provider(Charts.render(backend, "{}")).get("resources").map())
        .isEqualTo(
            Map.of(
                "requests", Map.of("cpu", "50m", "memory", "256Mi"),
                "limits", Map.of("cpu", "500m", "memory", "256Mi")));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void imageDigestWinsOverTheTagAndTheTagDefaultsToAppVersion(Backend backend) {
    String digest = "sha256:" + "ab".repeat(32);

    assertThat(
            provider(
                    Charts.render(
                        backend,
                        "image: {repository: r.example/p, tag: '1.2.3', digest: '" + digest + "'}"))
                .get("image")
                .string())
        .isEqualTo("r.example/p@" + digest);
    assertThat(
            provider(Charts.render(backend, "image: {repository: r.example/p, tag: '1.2.3'}"))
                .get("image")
                .string())
        .isEqualTo("r.example/p:1.2.3");
    assertThat(provider(Charts.render(backend, "{}")).get("image").string())
        .isEqualTo(
            "ghcr.io/secrets-store-provider/secrets-store-provider-" + backend.id() + ":0.1.0");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void defaultsTolerateNoTaint_avoidVirtualNodes_runOnLinuxWithRollingUpdates(Backend backend) {
    Manifests m = Charts.render(backend, "{}");
    Node spec = podSpec(m);

    assertThat(spec.get("tolerations").isMissing()).isTrue();
    assertThat(spec.get("nodeSelector").map()).isEqualTo(Map.of("kubernetes.io/os", "linux"));
    List<Object> excluded =
        spec
            .at(
                "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions")
            .list()
            .stream()
            .map(Node::value)
            .toList();
    Map<String, Object> notVirtualKubelet =
        Map.of("key", "type", "operator", "NotIn", "values", List.of("virtual-kubelet"));
    Map<String, Object> notFargate =
        Map.of(
            "key",
            "eks.amazonaws.com/compute-type",
            "operator",
            "NotIn",
            "values",
            List.of("fargate"));
    assertThat(excluded)
        .isEqualTo(
            backend == Backend.AWS
                ? List.of(notFargate, notVirtualKubelet)
                : List.of(notVirtualKubelet));
    assertThat(m.one("DaemonSet").at("spec.updateStrategy.type").string())
        .isEqualTo("RollingUpdate");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void priorityClassName_isNodeCriticalInKubeSystemOnly_unlessSet(Backend backend) {
    assertThat(podSpec(Charts.render(backend, "{}")).get("priorityClassName").isMissing())
        .as("outside kube-system (GKE refuses system-node-critical there)")
        .isTrue();
    assertThat(
            podSpec(Charts.renderIn("kube-system", backend, "{}"))
                .get("priorityClassName")
                .string())
        .isEqualTo("system-node-critical");
    assertThat(
            podSpec(Charts.render(backend, "priorityClassName: node-agents"))
                .get("priorityClassName")
                .string())
        .isEqualTo("node-agents");
    assertThat(
            podSpec(Charts.renderIn("kube-system", backend, "priorityClassName: node-agents"))
                .get("priorityClassName")
                .string())
        .isEqualTo("node-agents");
    // Said where it matters: the install notes name the namespace and the value.
    assertThat(Charts.notes(backend, "{}"))
        .contains("No priority class")
        .contains("in " + Charts.NAMESPACE + " the provider pods");
    assertThat(Charts.notes(backend, "priorityClassName: node-agents"))
        .doesNotContain("No priority class");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void tmpIsAWritableEmptyDirAndTheConfigIsMountedFromItsConfigMap(Backend backend) {
    Manifests m = Charts.render(backend, "config: {logLevel: debug, rotationPollInterval: 1m}");
    Node spec = podSpec(m);
    Node provider = provider(m);

    assertThat(spec.get("volumes").named("tmp").get("emptyDir").isMissing()).isFalse();
    assertThat(provider.get("volumeMounts").named("tmp").get("mountPath").string())
        .isEqualTo("/tmp");
    assertThat(provider.get("volumeMounts").named("tmp").get("readOnly").isMissing()).isTrue();
    Node config = provider.get("volumeMounts").named("config");
    // A directory, not a subPath, so kubelet delivers ConfigMap changes and the provider reloads
    // them.
    assertThat(config.get("mountPath").string()).isEqualTo("/etc/secrets-store-provider");
    assertThat(config.get("subPath").isMissing()).isTrue();
    assertThat(flag(provider, "--config")).isEqualTo("/etc/secrets-store-provider/config.yaml");
    String configMap = spec.get("volumes").named("config").at("configMap.name").string();
    String file = m.one("ConfigMap", configMap).get("data").get("config.yaml").string();
    assertThat(file)
        .as("the values, after a comment naming every key")
        .endsWith("\nlogLevel: debug\nrotationPollInterval: 1m\n");
    assertThat(file.lines().filter(line -> !line.startsWith("#")).toList())
        .containsExactly("logLevel: debug", "rotationPollInterval: 1m");
    assertThat(file).contains("auditLog").contains("circuitOpen");
    assertThat(file.contains("vaultAllowedAddresses")).isEqualTo(backend == Backend.VAULT);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void socketDirInitRunsAsTheOnlyRootContainerAndOnlyWhenEnabled(Backend backend) {
    Node spec = podSpec(Charts.render(backend, "{}"));
    Node init = spec.get("initContainers").named("socket-dir-init");

    assertThat(init.get("command").strings())
        .containsExactly(
            "sh",
            "-c",
            "chown 0:65532 \"" + DEFAULT_DIR + "\" && chmod 1775 \"" + DEFAULT_DIR + "\"");
    assertThat(init.at("securityContext.runAsUser").value()).isEqualTo(0);
    assertThat(init.at("securityContext.allowPrivilegeEscalation").value()).isEqualTo(false);
    assertThat(init.at("securityContext.capabilities").map())
        .isEqualTo(Map.of("drop", List.of("ALL"), "add", List.of("CHOWN", "FOWNER")));
    assertThat(init.get("volumeMounts").named("providers-dir").get("mountPath").string())
        .isEqualTo(DEFAULT_DIR);

    assertThat(
            podSpec(Charts.render(backend, "socketDirInit: {enabled: false}"))
                .get("initContainers")
                .isMissing())
        .isTrue();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyPodOptionReachesThePod(Backend backend) {
    Manifests m = Charts.renderEverythingOn(backend);
    Node pod = m.one("DaemonSet").at("spec.template");
    Node spec = pod.get("spec");
    Node provider = provider(m);

    assertThat(pod.at("metadata.labels").map())
        .containsEntry("extra", "label")
        .containsEntry("team", "platform");
    assertThat(pod.at("metadata.annotations").map())
        .containsEntry("extra/annotation", "yes")
        .doesNotContainKey("checksum/config");
    assertThat(provider.get("args").strings()).endsWith("--rotation-poll-interval=5m");
    assertThat(flag(provider, "--log-format")).isEqualTo("text");
    assertThat(flag(provider, "--log-level")).isEqualTo("debug");
    assertThat(provider.get("env").named("JAVA_TOOL_OPTIONS").get("value").string())
        .isEqualTo("-XX:+UseSerialGC");
    assertThat(spec.get("nodeSelector").map())
        .isEqualTo(Map.of("kubernetes.io/os", "linux", "pool", "secrets"));
    assertThat(spec.get("tolerations").list())
        .extracting(t -> t.get("key").string())
        .containsExactly("dedicated");
    assertThat(spec.get("priorityClassName").string()).isEqualTo("custom-priority");
    assertThat(spec.get("serviceAccountName").string()).isEqualTo("custom-sa");
    assertThat(spec.get("imagePullSecrets").value()).isEqualTo(List.of(Map.of("name", "regcred")));
    assertThat(spec.at("securityContext.runAsUser").value()).isEqualTo(10001);
    assertThat(spec.get("initContainers").named("socket-dir-init").get("command").strings().get(2))
        .startsWith("chown 0:10002 ");
    assertThat(m.one("DaemonSet").at("spec.updateStrategy.rollingUpdate.maxUnavailable").string())
        .isEqualTo("10%");
    assertThat(provider.at("resources.limits.memory").string()).isEqualTo("200Mi");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aLinuxNodeSelectorCannotBeOverridden(Backend backend) {
    Node spec = podSpec(Charts.render(backend, "nodeSelector: {kubernetes.io/os: windows}"));

    assertThat(spec.get("nodeSelector").map()).isEqualTo(Map.of("kubernetes.io/os", "linux"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void podAndCommonLabelsAddToButNeverReplaceTheSelectorLabels(Backend backend) {
    Manifests m =
        Charts.render(
            backend,
            """
        commonLabels: {app.kubernetes.io/name: other, team: a}
        podLabels: {app.kubernetes.io/component: other, app.kubernetes.io/instance: other, tier: b}
        """);
    Node daemonSet = m.one("DaemonSet");
    Map<String, Object> podLabels = daemonSet.at("spec.template.metadata.labels").map();

    assertThat(podLabels)
        .containsAllEntriesOf(daemonSet.at("spec.selector.matchLabels").map())
        .containsEntry("team", "a")
        .containsEntry("tier", "b");
    assertThat(daemonSet.at("spec.selector.matchLabels").map())
        .isEqualTo(
            Map.of(
                "app.kubernetes.io/name",
                backend.chart(),
                "app.kubernetes.io/instance",
                Charts.RELEASE,
                "app.kubernetes.io/component",
                "provider"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void readinessProbeIdentity_isOffByDefault(Backend backend) {
    Manifests m = Charts.render(backend, "{}");

    assertThat(provider(m).get("args").strings()).noneMatch(arg -> arg.startsWith("--readiness-"));
    assertThat(podSpec(m).get("volumes").list())
        .noneMatch(v -> "readiness-probe-token".equals(v.get("name").value()));
    assertThat(m.one("ConfigMap").get("data").map()).containsOnlyKeys("config.yaml");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void readinessProbeIdentity_mountsTheRenderedClassWithTheProvidersOwnProjectedToken(
      Backend backend) {
    Manifests m =
        Charts.render(
            backend,
            String.join(
                "\n",
                "readinessProbeIdentity:",
                "  enabled: true",
                "  audience: probe-audience",
                "  interval: 1m",
                "  parameters:",
                "    roleName: provider-probe",
                "    objects: |",
                "      - objectName: probe",
                "        secretPath: secret/data/probe",
                "        secretKey: value",
                ""));
    Node provider = provider(m);
    String serviceAccount = podSpec(m).get("serviceAccountName").string();
    String tokenDir = "/var/run/secrets/secrets-store-provider/readiness-probe";

    assertThat(flag(provider, "--readiness-probe-spc"))
        .isEqualTo("/etc/secrets-store-provider/readiness-probe-spc.yaml");
    assertThat(flag(provider, "--readiness-probe-service-account")).isEqualTo(serviceAccount);
    assertThat(flag(provider, "--readiness-probe-token"))
        .isEqualTo("probe-audience=" + tokenDir + "/token");
    assertThat(flag(provider, "--readiness-probe-interval")).isEqualTo("1m");
    // Without it the probe identity would only be reported, never fail readiness.
    assertThat(provider.get("args").strings()).contains("--readiness-includes-backend");
    assertThat(podSpec(m).get("volumes").named("readiness-probe-token").get("projected").map())
        .isEqualTo(
            Map.of(
                "sources",
                List.of(
                    Map.of(
                        "serviceAccountToken",
                        Map.of(
                            "audience",
                            "probe-audience",
                            "expirationSeconds",
                            3600,
                            "path",
                            "token")))));
    Node mount = provider.get("volumeMounts").named("readiness-probe-token");
    assertThat(mount.get("mountPath").string()).isEqualTo(tokenDir);
    assertThat(mount.get("readOnly").value()).isEqualTo(true);

    Manifests spc =
        Manifests.parse(m.one("ConfigMap").get("data").get("readiness-probe-spc.yaml").string());
    Node probeClass = spc.one("SecretProviderClass");
    assertThat(probeClass.at("metadata.namespace").string()).isEqualTo(Charts.NAMESPACE);
    assertThat(probeClass.at("spec.parameters").map())
        .isEqualTo(
            Map.of(
                "roleName", "provider-probe",
                "objects",
                    "- objectName: probe\n  secretPath: secret/data/probe\n  secretKey: value\n"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void readinessIncludesBackend_passesItsFlagWithoutAProbeIdentity(Backend backend) {
    Node provider = provider(Charts.render(backend, "readinessIncludesBackend: true"));

    assertThat(provider.get("args").strings())
        .contains("--readiness-includes-backend")
        .noneMatch(arg -> arg.startsWith("--readiness-probe"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void readinessProbeIdentity_withoutAudienceOrParameters_isRefusedNamingTheValue(Backend backend) {
    assertThatThrownBy(
            () ->
                Charts.render(
                    backend, "readinessProbeIdentity: {enabled: true, parameters: {roleName: r}}"))
        .hasMessageContaining("readinessProbeIdentity.audience is required");
    assertThatThrownBy(
            () ->
                Charts.render(backend, "readinessProbeIdentity: {enabled: true, audience: vault}"))
        .hasMessageContaining("readinessProbeIdentity.parameters is required");
    assertThatThrownBy(
            () ->
                Charts.render(
                    backend,
                    "readinessProbeIdentity: {enabled: true, audience: vault, interval: soon}"))
        .hasMessageContaining("values don't meet the specifications of the schema");
  }
}
