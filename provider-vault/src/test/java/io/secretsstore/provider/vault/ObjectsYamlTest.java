// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code objects} read as upstream's yaml.v3 reads it: merge keys merged, any scalar into a string
 * field as its text.
 */
class ObjectsYamlTest {
  @Test
  void mergeKeysAreMergedWithWrittenKeysWinning() {
    List<SecretConfig> objects =
        ObjectsYaml.parse(
            """
        - &kv
          objectName: user
          secretPath: secret/data/app
          secretKey: user
          filePermission: 0640
        - <<: *kv
          objectName: pass
          secretKey: pass
        - <<: [*kv]
          objectName: cert
          secretArgs:
            <<: {common_name: a.example.com, ttl: 1h}
            ttl: 2h
        """);
    assertThat(objects).hasSize(3);
    assertThat(objects.get(1).secretPath()).isEqualTo("secret/data/app");
    assertThat(objects.get(1).secretKey()).isEqualTo("pass");
    assertThat(objects.get(1).filePermission()).isEqualTo(0640);
    assertThat(objects.get(2).secretArgs())
        .isEqualTo(Map.of("common_name", "a.example.com", "ttl", "2h"));
  }

  @Test
  void scalarsIntoStringFieldsAreTheirText() {
    SecretConfig object =
        ObjectsYaml.parse("- {objectName: 2024, secretPath: secret/data/x, secretKey: 0755}\n")
            .get(0);
    assertThat(object.objectName()).isEqualTo("2024");
    assertThat(object.secretKey()).isEqualTo("0755");
    assertThat(
            ObjectsYaml.parse("- {objectName: a, secretPath: p, secretArgs: {n: 0x10}}\n")
                .get(0)
                .secretArgs())
        .isEqualTo(Map.of("n", BigInteger.valueOf(16)));
  }

  @Test
  void aMergeOfAScalarIsRefusedNamingObjects() {
    assertThatThrownBy(() -> ObjectsYaml.parse("- {<<: x, objectName: a, secretPath: p}\n"))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.getMessage()).startsWith("objects is not valid YAML");
            });
  }

  @Test
  void hugeOrDeepDocumentsAreInvalidArgumentNamingObjects() {
    for (String text :
        List.of("[".repeat(100_000), "[" + "a,".repeat(100_000) + "a]", "- " + "{a: ".repeat(40))) {
      assertThatThrownBy(() -> ObjectsYaml.parse(text))
          .isInstanceOfSatisfying(
              ProviderException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                assertThat(e.getMessage()).startsWith("objects ");
              });
    }
  }
}
