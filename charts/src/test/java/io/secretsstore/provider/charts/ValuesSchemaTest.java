// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ValuesSchemaTest {
  @ParameterizedTest
  @EnumSource(Backend.class)
  void anUnknownTopLevelKeyIsRejected(Backend backend) {
    assertThatThrownBy(() -> Charts.render(backend, "kubeletPath: /var/lib/kubelet"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("kubeletPath");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void wrongTypesAreRejected(Backend backend) {
    for (String values :
        new String[] {
          "tolerations: {operator: Exists}",
          "resources: 50m",
          "sync: {enabled: 'yes'}",
          "ports: {health: '8080'}",
          "extraArgs: --log-level=debug",
        }) {
      assertThatThrownBy(() -> Charts.render(backend, values))
          .as(values)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("values don't meet the specifications of the schema");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void invalidProviderNamesDigestsAndNestedKeysAreRejected(Backend backend) {
    for (String values :
        new String[] {
          "providerName: 'has space'",
          "providerName: " + "x".repeat(31),
          "image: {repository: r, digest: 'sha256:short'}",
          "providersDir: relative/path",
          "logLevel: verbose",
          "serviceMonitor: {enabled: true, intervall: 30s}",
          "fingerprintSecretName: Not_A_Secret_Name",
          "fingerprintSecretName: 42",
        }) {
      assertThatThrownBy(() -> Charts.render(backend, values))
          .as(values)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("values don't meet the specifications of the schema");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anotherBackendsValuesAreRejected(Backend backend) {
    String foreign = backend == Backend.AWS ? "hmacSecretName: x" : "awsRegion: eu-west-1";

    assertThatThrownBy(() -> Charts.render(backend, foreign))
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void strictLintFailsOnAnUnknownTopLevelKeyOrAWrongType(Backend backend) {
    assertThat(
            Charts.lintStrictWithValuesAppended(backend, "kubeletPath: /var/lib/kubelet")
                .isFailed())
        .isTrue();
    assertThat(Charts.lintStrictWithValuesAppended(backend, "rbac: {create: 'no'}").isFailed())
        .isTrue();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theEverythingOnValuesAreValid(Backend backend) {
    assertThat(Charts.renderEverythingOn(backend).all()).isNotEmpty();
  }
}
