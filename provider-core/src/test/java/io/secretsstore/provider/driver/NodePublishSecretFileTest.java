// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class NodePublishSecretFileTest {
  @Test
  void decodesDataAndLetsStringDataWin() {
    NodePublishSecretFile secret =
        NodePublishSecretFile.read(TestFiles.resource("node-publish-secret.yaml"));

    assertThat(secret.data())
        .containsOnly(
            entry("clientid", "client-1"),
            entry("clientsecret", "S3CR3T-nps-canary"),
            entry("shared", "from-stringData"));
  }

  @Test
  void invalidBase64NamesTheKeyNotTheValue() {
    assertThatThrownBy(
            () ->
                NodePublishSecretFile.parse(
                    "apiVersion: v1\nkind: Secret\ndata:\n  key: S3CR3T-not-base64!\n"))
        .isInstanceOf(DriverFailure.class)
        .hasMessageContaining("data.key is not valid base64")
        .hasMessageNotContaining("S3CR3T");
  }

  @Test
  void somethingOtherThanASecretIsRefused() {
    assertThatThrownBy(
            () -> NodePublishSecretFile.parse("apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n"))
        .hasMessageContaining("expected a Secret manifest");
  }

  @Test
  void base64WithLineBreaksIsAcceptedAsGoDecodesIt() {
    NodePublishSecretFile secret =
        NodePublishSecretFile.parse(
            "apiVersion: v1\nkind: Secret\ndata:\n  k: |\n    Y2xp\n    ZW50\n");

    assertThat(secret.data()).containsOnly(entry("k", "client"));
  }
}
