// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.yaml.BoundedYaml;
import io.secretsstore.provider.yaml.ParsedParameters;
import io.secretsstore.provider.yaml.YamlLimits;
import io.secretsstore.provider.yaml.YamlRefusal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Parses the {@code objects} parameter: a plain YAML list of mappings, read as upstream's yaml.v3
 * reads it (any scalar into a string field as its text, merge keys merged), but safely. The
 * document is only composed into nodes by core's bounded loader (no constructor runs, so no tag can
 * load a class; size, nodes, depth and aliases are bounded), recursion and duplicate keys are
 * refused, and only the standard tags are accepted. Unknown keys inside an object are an error
 * naming the key, so a typo such as {@code filePermision} cannot silently leave a file
 * world-readable. Messages name keys and list positions, never values; the parser's own texts quote
 * input and are dropped.
 */
final class ObjectsYaml {
  static final String PARAMETER = "objects";
  private static final Set<String> KEYS =
      Set.of(
          "objectName",
          "secretPath",
          "secretKey",
          "method",
          "secretArgs",
          "filePermission",
          "encoding");
  private static final Set<Tag> STANDARD =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ, Tag.MERGE);

  private ObjectsYaml() {}

  /** Parsed once per text: every rotation re-Mount sends the same one. */
  private static final ParsedParameters<List<SecretConfig>> PARSED =
      new ParsedParameters<>(ObjectsYaml::read);

  /** The objects, in order; an empty list when the parameter is absent, empty or null. */
  static List<SecretConfig> parse(String yaml) {
    return yaml == null ? List.of() : PARSED.parse(yaml);
  }

  private static List<SecretConfig> read(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return List.of();
    }
    Optional<Node> root = compose(yaml);
    if (root.isEmpty() || isNull(root.get())) {
      return List.of();
    }
    if (!(root.get() instanceof SequenceNode list)) {
      throw invalid(PARAMETER + " must be a YAML list of objects");
    }
    checkTree(list);
    List<SecretConfig> objects = new ArrayList<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      objects.add(object(list.getValue().get(i), i));
    }
    return List.copyOf(objects);
  }

  private static Optional<Node> compose(String yaml) {
    try {
      return BoundedYaml.compose(yaml, PARAMETER, new GoYamlSchema(), YamlLimits.PARAMETER);
    } catch (YamlRefusal e) {
      throw invalid(PARAMETER + " " + e.getMessage());
    }
  }

  /**
   * Refuses recursion and non-standard tags anywhere in the document (its depth is bounded by the
   * loader).
   */
  private static void checkTree(Node node) {
    if (node.isRecursive()) {
      throw invalid(PARAMETER + " refers to itself");
    }
    if (!STANDARD.contains(node.getTag())) {
      throw invalid(
          PARAMETER
              + " uses a YAML tag other than the standard str, int, float, bool, null, map and seq");
    }
    if (node instanceof SequenceNode sequence) {
      sequence.getValue().forEach(ObjectsYaml::checkTree);
    } else if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        checkTree(tuple.getKeyNode());
        checkTree(tuple.getValueNode());
      }
    }
  }

  private static SecretConfig object(Node node, int index) {
    if (!(node instanceof MappingNode mapping)) {
      throw invalid(
          PARAMETER + "[" + index + "] must be a mapping with objectName, secretPath, ...");
    }
    Map<String, Node> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : tuples(mapping)) {
      String key = keyText(tuple.getKeyNode(), PARAMETER + "[" + index + "]");
      if (fields.put(key, tuple.getValueNode()) != null) {
        throw invalid(
            PARAMETER + "[" + index + "] has the key " + SafeText.name(key, index) + " twice");
      }
    }
    String objectName = string(fields.get("objectName"), index, "objectName", "");
    String ref = SafeText.element(PARAMETER, index, objectName);
    for (String key : fields.keySet()) {
      if (!KEYS.contains(key)) {
        throw invalid(
            ref
                + ": unknown key "
                + SafeText.unknownKey(key, keyIndex(fields, key), KEYS)
                + "; the keys are "
                + String.join(
                    ", ",
                    List.of(
                        "objectName",
                        "secretPath",
                        "secretKey",
                        "method",
                        "secretArgs",
                        "filePermission",
                        "encoding")));
      }
    }
    try {
      return new SecretConfig(
          objectName,
          string(fields.get("secretPath"), index, "secretPath", objectName),
          string(fields.get("secretKey"), index, "secretKey", objectName),
          string(fields.get("method"), index, "method", objectName),
          secretArgs(fields.get("secretArgs"), ref),
          filePermission(fields.get("filePermission"), ref),
          string(fields.get("encoding"), index, "encoding", objectName));
    } catch (IllegalArgumentException e) {
      // SecretConfig's messages are constants naming the key.
      throw invalid(ref + ": " + e.getMessage());
    }
  }

  /** A key as yaml.v3 decodes it into a string: the scalar's text. */
  private static String keyText(Node key, String ref) {
    if (!(key instanceof ScalarNode scalar)) {
      throw invalid(ref + " has a key that is not a plain string");
    }
    return scalar.getValue();
  }

  /** yaml.v3 decodes any scalar into a string field as its text, and null as "". */
  private static String string(Node node, int index, String key, String objectName) {
    if (node == null || isNull(node)) {
      return "";
    }
    if (!(node instanceof ScalarNode scalar)) {
      throw invalid(
          SafeText.element(PARAMETER, index, objectName) + ": " + key + " must be a string");
    }
    return scalar.getValue();
  }

  private static int filePermission(Node node, String ref) {
    if (node == null || isNull(node)) {
      return 0;
    }
    String message =
        ref + ": filePermission must be a YAML integer file mode between 0 and 0777, e.g. 0640";
    if (!(node instanceof ScalarNode scalar) || !Tag.INT.equals(node.getTag())) {
      throw invalid(message);
    }
    BigInteger value = GoYamlSchema.parseInt(scalar.getValue()).orElseThrow(() -> invalid(message));
    if (value.signum() < 0 || value.compareTo(BigInteger.valueOf(0777)) > 0) {
      throw invalid(message);
    }
    return value.intValue();
  }

  private static Map<String, Object> secretArgs(Node node, String ref) {
    if (node == null || isNull(node)) {
      return null;
    }
    if (!(node instanceof MappingNode)) {
      throw invalid(ref + ": secretArgs must be a mapping");
    }
    @SuppressWarnings("unchecked") // value() returns a map for a mapping node
    Map<String, Object> args = (Map<String, Object>) value(node, ref);
    return args;
  }

  /** A node as yaml.v3 decodes it into interface{}. */
  private static Object value(Node node, String ref) {
    if (node instanceof MappingNode mapping) {
      Map<String, Object> map = new LinkedHashMap<>();
      Set<String> seen = new HashSet<>();
      for (NodeTuple tuple : tuples(mapping)) {
        String key = keyText(tuple.getKeyNode(), ref + ": secretArgs");
        if (!seen.add(key)) {
          throw invalid(ref + ": secretArgs has a key twice");
        }
        map.put(key, value(tuple.getValueNode(), ref));
      }
      return map;
    }
    if (node instanceof SequenceNode sequence) {
      List<Object> list = new ArrayList<>();
      sequence.getValue().forEach(child -> list.add(value(child, ref)));
      return list;
    }
    ScalarNode scalar = (ScalarNode) node;
    Tag tag = node.getTag();
    String text = scalar.getValue();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      return text.equalsIgnoreCase("true");
    }
    if (Tag.INT.equals(tag)) {
      Optional<BigInteger> parsed = GoYamlSchema.parseInt(text);
      if (parsed.isPresent()) {
        return parsed.get();
      }
      throw invalid(ref + ": secretArgs holds an integer Go cannot read");
    }
    if (Tag.FLOAT.equals(tag)) {
      double number = parseFloat(text);
      if (Double.isNaN(number) || Double.isInfinite(number)) {
        // json.Marshal fails on these upstream, so no version could be made.
        throw invalid(ref + ": secretArgs holds .inf or .nan, which JSON cannot carry");
      }
      return number;
    }
    return text;
  }

  private static double parseFloat(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".nan")) {
      return Double.NaN;
    }
    if (lower.endsWith(".inf")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.parseDouble(text);
  }

  /** A mapping's entries with merge keys ({@code <<: *base}) applied, as yaml.v3 applies them. */
  private static List<NodeTuple> tuples(MappingNode mapping) {
    try {
      return BoundedYaml.tuples(mapping);
    } catch (YamlRefusal e) {
      throw invalid(PARAMETER + " " + e.getMessage());
    }
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  private static ProviderException invalid(String message) {
    return ProviderException.invalidArgument(message);
  }

  /** The position of {@code key} among an entry's keys, for a refusal that cannot quote it. */
  private static int keyIndex(Map<String, ?> fields, String key) {
    return new ArrayList<>(fields.keySet()).indexOf(key);
  }
}
