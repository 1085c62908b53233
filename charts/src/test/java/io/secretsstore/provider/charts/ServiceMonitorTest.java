// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.charts.Manifests.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServiceMonitorTest {
  @ParameterizedTest
  @EnumSource(Backend.class)
  void neitherServiceMonitorNorMetricsServiceByDefault(Backend backend) {
    Manifests m = Charts.render(backend, "{}");

    assertThat(m.ofKind("ServiceMonitor")).isEmpty();
    assertThat(m.ofKind("Service")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void enabledScrapesMetricsOfTheProviderPods(Backend backend) {
    Manifests m =
        Charts.render(backend, "serviceMonitor: {enabled: true, labels: {release: prometheus}}");
    Node monitor = m.one("ServiceMonitor");
    Node service = m.one("Service");
    Map<String, Object> podLabels = m.one("DaemonSet").at("spec.template.metadata.labels").map();

    assertThat(monitor.at("metadata.labels").map()).containsEntry("release", "prometheus");
    assertThat(monitor.at("spec.endpoints").value())
        .isEqualTo(
            List.of(
                Map.of(
                    "port",
                    "metrics",
                    "path",
                    "/metrics",
                    "interval",
                    "30s",
                    "scrapeTimeout",
                    "10s")));
    assertThat(monitor.at("spec.namespaceSelector.matchNames").strings())
        .containsExactly(Charts.NAMESPACE);
    assertThat(service.at("metadata.labels").map())
        .containsAllEntriesOf(monitor.at("spec.selector.matchLabels").map());
    assertThat(podLabels).containsAllEntriesOf(service.at("spec.selector").map());
    assertThat(service.at("spec.ports").value())
        .isEqualTo(
            List.of(
                Map.of(
                    "name", "metrics", "port", 8095, "targetPort", "metrics", "protocol", "TCP")));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void withSync_theServiceMonitorAlsoScrapesTheSyncControllerPods(Backend backend) {
    Manifests m =
        Charts.render(backend, "{serviceMonitor: {enabled: true}, sync: {enabled: true}}");
    Node monitor = m.one("ServiceMonitor");

    assertThat(m.ofKind("Service")).hasSize(2);
    for (String workload : List.of("DaemonSet", "Deployment")) {
      Map<String, Object> podLabels = m.one(workload).at("spec.template.metadata.labels").map();
      Node service =
          m.ofKind("Service").stream()
              .filter(s -> podLabels.entrySet().containsAll(s.at("spec.selector").map().entrySet()))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("no metrics Service selects the " + workload + " pods"));
      assertThat(selects(monitor.at("spec.selector"), service.at("metadata.labels").map()))
          .as(workload)
          .isTrue();
    }
    assertThat(monitor.at("spec.selector.matchExpressions.0.values").strings())
        .containsExactly("provider", "sync-controller");
    assertThat(
            Charts.render(backend, "serviceMonitor: {enabled: true}")
                .one("ServiceMonitor")
                .at("spec.selector.matchExpressions.0.values")
                .strings())
        .containsExactly("provider");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void podMonitor_isOptIn_andScrapesTheProviderAndSyncPodsDirectly(Backend backend) {
    assertThat(Charts.render(backend, "{}").ofKind("PodMonitor")).isEmpty();

    Manifests m =
        Charts.render(
            backend,
            """
        sync: {enabled: true}
        podMonitor: {enabled: true, namespace: monitoring, labels: {release: prom}, interval: 15s, scrapeTimeout: 5s}
        """);
    Node monitor = m.one("PodMonitor");
    assertThat(m.ofKind("Service")).as("a PodMonitor needs no Service").isEmpty();
    assertThat(monitor.at("metadata.namespace").string()).isEqualTo("monitoring");
    assertThat(monitor.at("metadata.labels").map()).containsEntry("release", "prom");
    assertThat(monitor.at("spec.namespaceSelector.matchNames").strings())
        .containsExactly(Charts.NAMESPACE);
    assertThat(monitor.at("spec.podMetricsEndpoints").value())
        .isEqualTo(
            List.of(
                Map.of(
                    "port",
                    "metrics",
                    "path",
                    "/metrics",
                    "interval",
                    "15s",
                    "scrapeTimeout",
                    "5s")));
    for (String workload : List.of("DaemonSet", "Deployment")) {
      assertThat(
              selects(
                  monitor.at("spec.selector"),
                  m.one(workload).at("spec.template.metadata.labels").map()))
          .as(workload)
          .isTrue();
      assertThat(
              m.one(workload)
                  .at("spec.template.spec.containers.0.ports")
                  .named("metrics")
                  .get("containerPort")
                  .value())
          .isEqualTo(8095);
    }
  }

  /** Whether a label selector (matchLabels and In expressions) selects the labels. */
  private static boolean selects(Node selector, Map<String, Object> labels) {
    boolean matches = labels.entrySet().containsAll(selector.get("matchLabels").map().entrySet());
    for (Node expression : selector.get("matchExpressions").list()) {
      assertThat(expression.get("operator").string()).isEqualTo("In");
      matches &=
          expression
              .get("values")
              .strings()
              .contains(String.valueOf(labels.get(expression.get("key").string())));
    }
    return matches;
  }
}
