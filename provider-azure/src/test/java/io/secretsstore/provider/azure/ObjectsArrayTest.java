// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code objects} read as upstream's yaml.v3 reads both levels: case-sensitive keys, scalars as
 * text, merge keys.
 */
class ObjectsArrayTest {
  private static void assertInvalid(String objects, String message) {
    assertThatThrownBy(() -> ObjectsArray.parse(objects))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void unquotedNumbersAndBooleansStayAsWritten() {
    Map<String, String> fields =
        ObjectsArray.parse(
                """
        array:
          - |
            objectName: 2024
            objectType: secret
            objectVersion: 0123
            objectAlias: true
            filePermission: 0440
        """)
            .get(0);
    assertThat(fields)
        .containsEntry("objectName", "2024")
        .containsEntry("objectVersion", "0123")
        .containsEntry("objectAlias", "true")
        .containsEntry("filePermission", "0440");
  }

  @Test
  void mergeKeysAreMergedInsideAnElement() {
    Map<String, String> fields =
        ObjectsArray.parse(
                """
        array:
          - |
            <<: {objectType: cert, objectFormat: pem, objectName: other}
            objectName: tls
        """)
            .get(0);
    assertThat(fields)
        .containsEntry("objectName", "tls")
        .containsEntry("objectType", "cert")
        .containsEntry("objectFormat", "pem");
  }

  @Test
  void aliasesInTheOuterDocumentRepeatAnElement() {
    List<Map<String, String>> objects =
        ObjectsArray.parse(
            """
        array:
          - &one |
            objectName: db
            objectType: secret
          - *one
        """);
    assertThat(objects).hasSize(2);
    assertThat(objects.get(1)).containsEntry("objectName", "db");
  }

  @Test
  void aMisCasedKeyIsRefusedNamingTheSpellingMeant() {
    assertInvalid(
        "array:\n  - |\n    objectName: db\n    objectType: secret\n    ObjectAlias: x\n",
        "has an unknown field \"ObjectAlias\" (did you mean objectAlias? keys are case-sensitive)");
    assertInvalid(
        "Array:\n  - |\n    objectName: db\n",
        "objects has an unknown field \"Array\" (did you mean array?");
  }

  @Test
  void nullSpellingsLeaveAFieldEmpty() {
    assertThat(
            ObjectsArray.parse(
                    "array:\n  - |\n    objectName: db\n    objectType: secret\n    objectVersion: ~\n")
                .get(0))
        .containsEntry("objectVersion", "");
  }

  @Test
  void aDeepInnerDocumentIsInvalidArgumentNamingTheElement() {
    assertInvalid(
        "array:\n  - '" + "[".repeat(1000) + "'\n", "objects.array[0]: it is nested deeper than");
  }
}
