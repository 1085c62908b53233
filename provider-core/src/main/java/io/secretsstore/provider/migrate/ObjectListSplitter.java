// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.migrate;

import io.secretsstore.provider.yaml.BoundedYaml;
import io.secretsstore.provider.yaml.GoTextSchema;
import io.secretsstore.provider.yaml.YamlLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.StreamDataWriter;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Splits a SecretProviderClass's object list into one-object lists of the same shape, so each
 * object can go through the backend's own parsing on its own. The split works on YAML nodes, not
 * values: every scalar keeps its text and quoting (an unquoted {@code 0600} stays {@code 0600}),
 * and an alias is written out where it is used. It knows only the two list shapes (a list, as AWS,
 * GCP and Vault write it, and Azure's {@code array:} of strings), never a backend's fields.
 */
final class ObjectListSplitter {
  /** The parameters that hold an object list, in the order they are looked for. */
  static final List<String> KEYS = List.of("objects", "secrets");

  private ObjectListSplitter() {}

  /**
   * The list's parameter and its objects, each as a document listing only it.
   *
   * @param parameter the parameter holding the list
   * @param singles one document per object, in order
   */
  record Split(String parameter, List<String> singles) {}

  /**
   * The split, or empty when no parameter holds a list this can split (the whole class is still
   * checked).
   */
  static Optional<Split> split(Map<String, String> parameters) {
    for (String key : KEYS) {
      String text = parameters.get(key);
      if (text == null) {
        continue;
      }
      Node root;
      try {
        root =
            BoundedYaml.compose(text, key, new GoTextSchema(), YamlLimits.PARAMETER).orElse(null);
      } catch (RuntimeException e) {
        return Optional.empty();
      }
      List<String> singles = new ArrayList<>();
      if (root instanceof SequenceNode list) {
        list.getValue().forEach(item -> singles.add(dump(sequenceOf(item))));
      } else if (root instanceof MappingNode map && arrayOf(map).isPresent()) {
        NodeTuple array = arrayOf(map).get();
        for (Node item : ((SequenceNode) array.getValueNode()).getValue()) {
          singles.add(
              dump(
                  new MappingNode(
                      Tag.MAP,
                      List.of(new NodeTuple(array.getKeyNode(), sequenceOf(item))),
                      FlowStyle.BLOCK)));
        }
      } else {
        return Optional.empty();
      }
      return Optional.of(new Split(key, singles));
    }
    return Optional.empty();
  }

  private static Optional<NodeTuple> arrayOf(MappingNode map) {
    return map.getValue().stream()
        .filter(t -> t.getKeyNode() instanceof ScalarNode key && key.getValue().equals("array"))
        .filter(t -> t.getValueNode() instanceof SequenceNode)
        .findFirst();
  }

  private static SequenceNode sequenceOf(Node item) {
    return new SequenceNode(Tag.SEQ, List.of(item), FlowStyle.BLOCK);
  }

  private static String dump(Node node) {
    StringBuilder out = new StringBuilder();
    new Dump(DumpSettings.builder().setSchema(new GoTextSchema()).build())
        .dumpNode(
            node,
            new StreamDataWriter() {
              @Override
              public void write(String text) {
                out.append(text);
              }

              @Override
              public void write(String text, int offset, int length) {
                out.append(text, offset, offset + length);
              }
            });
    return out.toString();
  }
}
