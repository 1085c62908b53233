// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretProviderClassFileTest {
  private static final String HEADER =
      "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\n";

  @Test
  void readsNameNamespaceProviderAndParameters() {
    SecretProviderClassFile spc = SecretProviderClassFile.read(TestFiles.resource("spc-v1.yaml"));

    assertThat(spc.name()).isEqualTo("app-secrets");
    assertThat(spc.namespace()).contains("team-a");
    assertThat(spc.provider()).isEqualTo("scripted");
    assertThat(spc.parameters())
        .containsEntry("region", "eu-west-1")
        .containsEntry("usePodIdentity", "false");
  }

  @Test
  void missingParametersFailWithTheDriversMessage() {
    SecretProviderClassFile spc =
        SecretProviderClassFile.parse(HEADER + "metadata: {name: s}\nspec: {provider: p}\n");

    assertThatThrownBy(() -> spc.checkForPod("ns")).hasMessage("parameters not set in ns/s");
    SecretProviderClassFile empty =
        SecretProviderClassFile.parse(
            HEADER + "metadata: {name: s}\nspec: {provider: p, parameters: {}}\n");
    assertThatThrownBy(() -> empty.checkForPod("ns")).hasMessage("parameters not set in ns/s");
  }

  @Test
  void missingProviderFailsWithTheDriversMessage() {
    SecretProviderClassFile spc =
        SecretProviderClassFile.parse(HEADER + "metadata: {name: s}\nspec: {parameters: {a: b}}\n");

    assertThatThrownBy(() -> spc.checkForPod("ns")).hasMessage("provider not set in ns/s");
  }

  @Test
  void providerNameOutsideTheDriversPatternIsInvalid() {
    SecretProviderClassFile spc =
        SecretProviderClassFile.parse(
            HEADER + "metadata: {name: s}\nspec: {provider: ../evil, parameters: {a: b}}\n");

    assertThatThrownBy(() -> spc.checkForPod("ns")).hasMessageStartingWith("invalid provider");
  }

  @Test
  void manifestInAnotherNamespaceIsNotFoundLikeTheDriverDoes() {
    SecretProviderClassFile spc = SecretProviderClassFile.read(TestFiles.resource("spc-v1.yaml"));

    assertThatThrownBy(() -> spc.checkForPod("default"))
        .hasMessageStartingWith("failed to get secretproviderclass default/app-secrets")
        .hasMessageContaining("team-a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"count: 3", "enabled: true", "list: [a]", "nothing:", "nested: {a: b}"})
  void nonStringParameterIsRefusedNamingTheKey(String parameter) {
    String key = parameter.substring(0, parameter.indexOf(':'));

    assertThatThrownBy(
            () ->
                SecretProviderClassFile.parse(
                    HEADER
                        + "metadata: {name: s}\nspec:\n  provider: p\n  parameters:\n    "
                        + parameter
                        + "\n"))
        .isInstanceOf(DriverFailure.class)
        .hasMessageContaining("spec.parameters." + key)
        .hasMessageContaining("must be a string");
  }

  @Test
  void wrongKindOrApiVersionIsRefused() {
    assertThatThrownBy(
            () ->
                SecretProviderClassFile.parse(
                    "apiVersion: v1\nkind: SecretProviderClass\nmetadata: {name: s}\n"))
        .hasMessageContaining("apiVersion");
    assertThatThrownBy(
            () ->
                SecretProviderClassFile.parse(
                    "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: Secret\nmetadata: {name: s}\n"))
        .hasMessageContaining("kind must be SecretProviderClass");
    assertThatThrownBy(() -> SecretProviderClassFile.parse(HEADER + "spec: {provider: p}\n"))
        .hasMessageContaining("metadata.name");
  }

  @Test
  void yamlErrorsGiveThePositionButNeverTheValue() {
    String duplicate =
        HEADER
            + "metadata: {name: s}\nspec:\n  provider: p\n  parameters:\n    a: S3CR3T-one\n    a: S3CR3T-two\n";
    String broken =
        HEADER + "metadata: {name: s}\nspec:\n  parameters:\n    a: \"S3CR3T-unterminated\n";

    assertThatThrownBy(() -> SecretProviderClassFile.parse(duplicate))
        .hasMessageContaining("line 8")
        .hasMessageContaining("a key appears twice")
        .hasMessageNotContaining("S3CR3T");
    assertThatThrownBy(() -> SecretProviderClassFile.parse(broken))
        .hasMessageContaining("not valid YAML")
        .hasMessageNotContaining("S3CR3T");
  }

  @Test
  void globalTagsNeverLoadAClass() {
    String exploit =
        HEADER
            + "metadata: {name: s}\nspec: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\n";

    assertThatThrownBy(() -> SecretProviderClassFile.parse(exploit))
        .hasMessageContaining("unsupported tag");
  }

  @Test
  void aliasBombIsRefusedQuickly() {
    StringBuilder bomb = new StringBuilder(HEADER + "a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 30; i++) {
      bomb.append("a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [*a")
          .append(i - 1)
          .append(", *a")
          .append(i - 1)
          .append("]\n");
    }

    assertThatThrownBy(() -> SecretProviderClassFile.parse(bomb.toString()))
        .hasMessageContaining("too many aliases");
  }

  @Test
  void severalDocumentsAreRefused() {
    assertThatThrownBy(
            () ->
                SecretProviderClassFile.parse(
                    HEADER + "metadata: {name: a}\n---\n" + HEADER + "metadata: {name: b}\n"))
        .hasMessageContaining("more than one document");
  }

  @Test
  void toStringListsParameterNamesOnly() {
    SecretProviderClassFile spc = SecretProviderClassFile.read(TestFiles.resource("spc-v1.yaml"));

    assertThat(spc.toString()).contains("region").doesNotContain("eu-west-1");
  }
}
