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
    Manifests m = Charts.render(backend, "serviceMonitor: {enabled: true, labels: {release: prometheus}}");
    Node monitor = m.one("ServiceMonitor");
    Node service = m.one("Service");
    Map<String, Object> podLabels = m.one("DaemonSet").at("spec.template.metadata.labels").map();

    assertThat(monitor.at("metadata.labels").map()).containsEntry("release", "prometheus");
    assertThat(monitor.at("spec.endpoints").value())
        .isEqualTo(List.of(Map.of("port", "metrics", "path", "/metrics", "interval", "30s", "scrapeTimeout", "10s")));
    assertThat(monitor.at("spec.namespaceSelector.matchNames").strings()).containsExactly(Charts.NAMESPACE);
    assertThat(service.at("metadata.labels").map()).containsAllEntriesOf(monitor.at("spec.selector.matchLabels").map());
    assertThat(podLabels).containsAllEntriesOf(service.at("spec.selector").map());
    assertThat(service.at("spec.ports").value())
        .isEqualTo(List.of(Map.of("name", "metrics", "port", 8095, "targetPort", "metrics", "protocol", "TCP")));
  }
}
