// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChartLintTest {
  @ParameterizedTest
  @EnumSource(Backend.class)
  void strictLintPassesWithTheChartsOwnValues(Backend backend) {
    LintResult lint = Charts.lintStrict(backend);

    assertThat(lint.isFailed()).as("lint messages: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).allMatch(m -> m.contains("[INFO]"), "only INFO messages");
  }

  @Test
  void strictLintPassesForTheLibraryChart() {
    Charts.chart(Backend.AWS); // copies the library next to the application charts
    LintResult lint =
        new Helm(Charts.workDir().resolve("secrets-store-provider-lib")).lint().strict().call();

    assertThat(lint.isFailed()).as("lint messages: %s", lint.getMessages()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyOptionOnRendersEveryKindOfObject(Backend backend) {
    Manifests m = Charts.renderEverythingOn(backend);

    assertThat(m.all()).allSatisfy(d -> assertThat(d.at("metadata.name").string()).isNotBlank());
    assertThat(m.ofKind("DaemonSet")).hasSize(1);
    assertThat(m.ofKind("Deployment")).hasSize(1);
    assertThat(m.ofKind("CustomResourceDefinition")).hasSize(1);
    assertThat(m.ofKind("ServiceMonitor")).hasSize(1);
    assertThat(m.ofKind("PodMonitor")).hasSize(1);
    assertThat(m.ofKind("PodDisruptionBudget")).hasSize(1);
    assertThat(m.ofKind("Service"))
        .as("metrics of the provider and of the sync controller")
        .hasSize(2);
    assertThat(m.ofKind("ConfigMap")).hasSize(1);
    assertThat(m.ofKind("ServiceAccount")).hasSize(2);
    // Azure's provider uses no Kubernetes API cluster-wide (it mints no tokens): only the sync
    // controller's.
    assertThat(m.ofKind("ClusterRole")).hasSize(backend == Backend.AZURE ? 1 : 2);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void notesTellWhichTokenAudiencesTheDriverNeeds(Backend backend) {
    String notes = Charts.notes(backend, "{}");

    String[] audiences =
        switch (backend) {
          case AWS ->
              new String[] {"audience: sts.amazonaws.com", "audience: pods.eks.amazonaws.com"};
          case AZURE ->
              new String[] {
                "audience: api://AzureADTokenExchange", "audience: api://AKSIdentityBinding"
              };
          case GCP -> new String[] {"audience: <PROJECT_ID>.svc.id.goog"};
          case VAULT -> new String[] {"audience: vault"};
        };
    assertThat(notes).contains("provider: " + backend.id());
    // A pasteable driver values block: the list items indented under tokenRequests.
    assertThat(notes).contains("  tokenRequests:\n    - " + audiences[0]);
    for (String audience : audiences) {
      assertThat(notes).contains("\n    - " + audience);
    }
  }
}
