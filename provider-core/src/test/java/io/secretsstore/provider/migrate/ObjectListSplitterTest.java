// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.yaml.BoundedYaml;
import io.secretsstore.provider.yaml.GoTextSchema;
import io.secretsstore.provider.yaml.YamlLimits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The object list split into one-object documents that a backend parses as it parsed the whole
 * list.
 */
class ObjectListSplitterTest {
  private static Object load(String yaml) {
    return BoundedYaml.load(yaml, "objects", new GoTextSchema(), YamlLimits.PARAMETER);
  }

  @Test
  void aList_splitsIntoOneElementLists_keepingScalarTextAndQuoting() {
    String objects =
        """
        - objectName: "db"
          filePermission: 0600
          objectVersion: 1
        - {objectName: '2024', secretPath: "a?b=1"}
        """;
    ObjectListSplitter.Split split =
        ObjectListSplitter.split(Map.of("objects", objects)).orElseThrow();
    assertThat(split.parameter()).isEqualTo("objects");
    assertThat(split.singles()).hasSize(2);
    assertThat(split.singles().get(0)).contains("0600").doesNotContain("384").doesNotContain("!!");
    assertThat(load(split.singles().get(0)))
        .isEqualTo(
            List.of(Map.of("objectName", "db", "filePermission", "0600", "objectVersion", "1")));
    assertThat(load(split.singles().get(1)))
        .isEqualTo(List.of(Map.of("objectName", "2024", "secretPath", "a?b=1")));
  }

  @Test
  void anAliasUsedByAnotherElement_isWrittenOutWhereItIsUsed_withItsMergeApplied() {
    String secrets =
        """
        - &base
          resourceName: projects/p/secrets/s/versions/latest
          path: a.txt
        - <<: *base
          path: b.txt
        """;
    ObjectListSplitter.Split split =
        ObjectListSplitter.split(Map.of("secrets", secrets)).orElseThrow();
    assertThat(split.parameter()).isEqualTo("secrets");
    assertThat(split.singles().get(1))
        .contains("resourceName: projects/p/secrets/s/versions/latest")
        .doesNotContain("a.txt");
    assertThat(load(split.singles().get(1)))
        .isEqualTo(
            List.of(
                Map.of("resourceName", "projects/p/secrets/s/versions/latest", "path", "b.txt")));
  }

  @Test
  void azuresArrayOfStrings_splitsIntoOneStringArrays_withTheBlockTextIntact() {
    String objects =
        """
        array:
          - |
            objectName: a
            objectType: secret
          - |
            objectName: b
            objectType: cert
        """;
    ObjectListSplitter.Split split =
        ObjectListSplitter.split(Map.of("objects", objects)).orElseThrow();
    assertThat(split.singles()).hasSize(2);
    assertThat(load(split.singles().get(1)))
        .isEqualTo(Map.of("array", List.of("objectName: b\nobjectType: cert\n")));
  }

  @Test
  void noListOrBadYaml_leavesOnlyTheWholeClassCheck() {
    assertThat(ObjectListSplitter.split(Map.of("roleName", "app"))).isEmpty();
    assertThat(ObjectListSplitter.split(Map.of("objects", "a: [unclosed"))).isEmpty();
    assertThat(ObjectListSplitter.split(Map.of("objects", "just text"))).isEmpty();
  }
}
