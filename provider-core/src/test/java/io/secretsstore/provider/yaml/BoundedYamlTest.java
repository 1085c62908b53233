// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

class BoundedYamlTest {
  private static final YamlLimits LIMITS = YamlLimits.PARAMETER;

  private static Object load(String text) {
    return BoundedYaml.load(text, "objects", new GoTextSchema(), LIMITS);
  }

  @Test
  void aDocumentLargerThanTheLimitIsRefusedBeforeParsing() {
    // Not even valid YAML: the size check comes first, so no parser error is reported.
    String text = "[".repeat(LIMITS.maxChars() + 1);
    assertThatThrownBy(() -> load(text))
        .isInstanceOf(YamlRefusal.class)
        .hasMessage("is larger than " + LIMITS.maxChars() + " characters");
  }

  @Test
  void deepFlowAndBlockNestingIsRefusedWithoutOverflowingTheStack() {
    // 100k deep: unterminated, so that it is within the size bound and reaches the depth check.
    String flow = "[".repeat(100_000);
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      block.append(" ".repeat(i)).append("- \n");
    }
    for (String text : List.of(flow, block.toString(), "{a: ".repeat(30_000))) {
      assertThatThrownBy(() -> load(text))
          .isInstanceOf(YamlRefusal.class)
          .hasMessage("is nested deeper than " + LIMITS.maxDepth() + " levels");
    }
  }

  @Test
  void aMapWithOneHundredThousandKeysIsRefusedByCount() {
    StringBuilder map = new StringBuilder("{");
    for (int i = 0; i < 100_000 && map.length() < LIMITS.maxChars() - 16; i++) {
      map.append('k').append(i).append(": 1, ");
    }
    map.append("z: 1}");
    assertThatThrownBy(() -> load(map.toString()))
        .isInstanceOf(YamlRefusal.class)
        .hasMessage("has more than " + LIMITS.maxNodes() + " values, lists and mappings");
  }

  @Test
  void aFlowListOfSmallItemsIsRefusedByCount() {
    String list = "[" + "a,".repeat(LIMITS.maxChars() / 2 - 2) + "a]";
    assertThatThrownBy(() -> load(list))
        .isInstanceOf(YamlRefusal.class)
        .hasMessageContaining("has more than");
  }

  @Test
  void aLongScalarIsRefused() {
    String text = "- objectName: " + "x".repeat(LIMITS.maxScalarChars() + 1);
    assertThatThrownBy(() -> load(text))
        .isInstanceOf(YamlRefusal.class)
        .hasMessage("has a value longer than " + LIMITS.maxScalarChars() + " characters");
  }

  @Test
  void aSyntaxErrorNamesItsLineThoughNodesKeepNoMarks() {
    assertThatThrownBy(() -> load("- a: 1\n- b: [unclosed\n"))
        .isInstanceOf(YamlRefusal.class)
        .hasMessageStartingWith("is not valid YAML at line");
  }

  @Test
  void refusalsNeverQuoteTheDocument() {
    String canary = "CANARY-b7e1";
    for (String text :
        List.of(
            "- {a: [" + canary,
            "a: 1\na: " + canary,
            "- !!python/object " + canary,
            "- *" + canary)) {
      assertThatThrownBy(() -> load(text))
          .isInstanceOf(YamlRefusal.class)
          .satisfies(
              e -> assertThat(e.getMessage()).doesNotContain(canary).doesNotContain("CANARY"));
    }
  }

  @Test
  void anAliasBombIsRefused() {
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 30; i++) {
      bomb.append("a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [")
          .append(("*a" + (i - 1) + ", ").repeat(9))
          .append("*a")
          .append(i - 1)
          .append("]\n");
    }
    assertThatThrownBy(() -> load(bomb.toString()))
        .isInstanceOf(YamlRefusal.class)
        .hasMessageContaining("too many aliases");
  }

  @Test
  void mergeKeysAreMergedWithWrittenKeysWinning() {
    Object loaded =
        load(
            """
        - &base {objectType: secret, objectVersion: v1}
        - <<: *base
          objectName: b
          objectVersion: v2
        - <<: [*base, {objectAlias: c}]
          objectName: c
        """);
    assertThat(loaded)
        .isEqualTo(
            List.of(
                Map.of("objectType", "secret", "objectVersion", "v1"),
                Map.of("objectType", "secret", "objectVersion", "v2", "objectName", "b"),
                Map.of(
                    "objectType",
                    "secret",
                    "objectVersion",
                    "v1",
                    "objectName",
                    "c",
                    "objectAlias",
                    "c")));
  }

  @Test
  void composedMergeKeysAreAppliedByTuples() {
    SequenceNode root =
        (SequenceNode)
            BoundedYaml.compose(
                    "- &b {x: '1', y: '2'}\n- {<<: *b, y: '3'}\n",
                    "objects",
                    new GoTextSchema(),
                    LIMITS)
                .orElseThrow();
    Map<String, String> merged = new java.util.LinkedHashMap<>();
    BoundedYaml.tuples((MappingNode) root.getValue().get(1))
        .forEach(
            t ->
                merged.put(
                    ((ScalarNode) t.getKeyNode()).getValue(),
                    ((ScalarNode) t.getValueNode()).getValue()));
    assertThat(merged).containsExactlyInAnyOrderEntriesOf(Map.of("x", "1", "y", "3"));
  }

  @Test
  void goTextSchemaKeepsScalarsAsWrittenAndNullsEmpty() {
    @SuppressWarnings("unchecked")
    Map<Object, Object> loaded =
        (Map<Object, Object>)
            load("{a: 0755, b: 2024, c: true, d: 1.50, e: ~, f: null, g: 'null', h: }");
    assertThat(loaded)
        .containsEntry("a", "0755")
        .containsEntry("b", "2024")
        .containsEntry("c", "true")
        .containsEntry("d", "1.50")
        .containsEntry("g", "null")
        .containsEntry("e", null)
        .containsEntry("f", null)
        .containsEntry("h", null)
        .hasSize(8);
  }

  @Test
  void aTypicalLargeObjectsDocumentIsAccepted() {
    // 256 objects (the default --max-objects) of eight fields each, with long names.
    StringBuilder objects = new StringBuilder();
    for (int i = 0; i < 256; i++) {
      objects
          .append(
              "- objectName: \"arn:aws:secretsmanager:us-east-1:123456789012:secret:team/app/database-")
          .append(i)
          .append("\"\n  objectType: secretsmanager\n  objectAlias: db-")
          .append(i)
          .append(
              "\n  objectVersionLabel: AWSCURRENT\n  filePermission: \"0440\"\n  jmesPath:\n    - path: username\n      objectAlias: user-")
          .append(i)
          .append("\n    - path: password\n      objectAlias: pass-")
          .append(i)
          .append('\n');
    }
    assertThat((List<?>) load(objects.toString())).hasSize(256);
  }

  @Test
  void manifestLimitsAllowALargeParameterInsideAManifest() {
    String objects = "x".repeat(YamlLimits.PARAMETER.maxChars());
    Object manifest =
        BoundedYaml.load(
            "spec:\n  parameters:\n    objects: " + objects + "\n",
            "--spc",
            new CoreSchema(),
            YamlLimits.MANIFEST);
    assertThat(manifest).isInstanceOf(Map.class);
  }
}
