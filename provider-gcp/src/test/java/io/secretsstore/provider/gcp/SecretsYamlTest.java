// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code secrets} read as upstream's yaml.v3 reads it: merge keys merged, scalars as their text,
 * nulls empty.
 */
class SecretsYamlTest {
  @Test
  void mergeKeysAreMerged() {
    List<SecretEntry> entries =
        SecretsYaml.parse(
            """
        - &common
          resourceName: projects/p/secrets/db/versions/latest
          mode: 0400
          fileName: db
        - <<: *common
          fileName: db-copy
          extractJSONKey: user
        """);
    assertThat(entries.get(1))
        .isEqualTo(
            new SecretEntry(
                "projects/p/secrets/db/versions/latest", "db-copy", "", "0400", "user", ""));
  }

  @Test
  void scalarsStayAsWrittenAndNullsAreEmpty() {
    SecretEntry entry =
        SecretsYaml.parse(
                "- {resourceName: projects/p/secrets/s/versions/2, fileName: 2024, path: ~}\n")
            .get(0);
    assertThat(entry.fileName()).isEqualTo("2024");
    assertThat(entry.path()).isEmpty();
  }

  @Test
  void hugeOrDeepDocumentsAreInvalidArgumentNamingSecrets() {
    for (String text : List.of("[".repeat(100_000), "{" + "k: v, ".repeat(30_000) + "}")) {
      assertThatThrownBy(() -> SecretsYaml.parse(text))
          .isInstanceOfSatisfying(
              ProviderException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                assertThat(e.getMessage()).contains("secrets ");
              });
    }
  }
}
