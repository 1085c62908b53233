// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.yaml.GoNumbers;
import io.secretsstore.provider.yaml.GoTextSchema;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.constructor.ConstructScalar;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Plain scalars as upstream's sigs.k8s.io/yaml delivers them to the string fields of {@code
 * objects}: go-yaml v2 resolves each (YAML 1.1 booleans such as {@code yes}, Go integers with
 * 0x/0o/0b/leading-0 prefixes and underscores, floats), and the number or boolean is then turned
 * back into a string for the string field: {@code objectVersion: 1} is {@code "1"}, {@code 0x1F} is
 * {@code "31"}, {@code 1.50} is {@code "1.5"}, {@code yes} is {@code "true"}. Timestamps and
 * everything else stay as written; null spellings leave the field empty; {@code <<} is a merge key.
 * Every value constructs as a string, list or map.
 */
final class SigsYamlSchema extends GoTextSchema {
  private static final Set<String> TRUE =
      Set.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
  private static final Set<String> FALSE =
      Set.of("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
  private static final Map<String, Double> SPECIAL_FLOATS =
      Map.of(
          ".nan",
          Double.NaN,
          ".NaN",
          Double.NaN,
          ".NAN",
          Double.NaN,
          ".inf",
          Double.POSITIVE_INFINITY,
          ".Inf",
          Double.POSITIVE_INFINITY,
          ".INF",
          Double.POSITIVE_INFINITY,
          "+.inf",
          Double.POSITIVE_INFINITY,
          "+.Inf",
          Double.POSITIVE_INFINITY,
          "+.INF",
          Double.POSITIVE_INFINITY,
          "-.inf",
          Double.NEGATIVE_INFINITY);
  private static final Pattern YAML_FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  /** go-yaml v2 tries a timestamp first for anything starting with four digits and a dash. */
  private static final Pattern TIMESTAMP_START = Pattern.compile("[0-9]{4}-.*");

  private static final ScalarResolver RESOLVER =
      (value, implicit) -> {
        Tag text = textTag(value, implicit);
        return Tag.STR.equals(text) && implicit
            ? goValue(value).map(SigsYamlSchema::tagOf).orElse(Tag.STR)
            : text;
      };

  /** The text sigs.k8s.io/yaml puts into a string field for this plain scalar. */
  private static final ConstructNode AS_STRING =
      new ConstructScalar() {
        @Override
        public Object construct(Node node) {
          String text = ((ScalarNode) node).getValue();
          return goValue(text).map(SigsYamlSchema::asString).orElse(text);
        }
      };

  @Override
  public ScalarResolver getScalarResolver() {
    return RESOLVER;
  }

  @Override
  public Map<Tag, ConstructNode> getSchemaTagConstructors() {
    Map<Tag, ConstructNode> constructors = new HashMap<>(super.getSchemaTagConstructors());
    constructors.put(Tag.BOOL, AS_STRING);
    constructors.put(Tag.INT, AS_STRING);
    constructors.put(Tag.FLOAT, AS_STRING);
    return constructors;
  }

  /** The Go value go-yaml v2 resolves a plain scalar to, when it is a bool or number. */
  static Optional<Object> goValue(String text) {
    if (TRUE.contains(text)) {
      return Optional.of(Boolean.TRUE);
    }
    if (FALSE.contains(text)) {
      return Optional.of(Boolean.FALSE);
    }
    if (SPECIAL_FLOATS.containsKey(text) || "-.Inf".equals(text) || "-.INF".equals(text)) {
      return Optional.of(SPECIAL_FLOATS.getOrDefault(text, Double.NEGATIVE_INFINITY));
    }
    if (text.isEmpty()) {
      return Optional.empty();
    }
    char first = text.charAt(0);
    if (first == '.') {
      return YAML_FLOAT.matcher(text).matches() ? parseFloat(text) : Optional.empty();
    }
    if (!(first == '+' || first == '-' || Character.isDigit(first))
        || TIMESTAMP_START.matcher(text).matches()) {
      // A date-like value that go-yaml cannot parse as a timestamp is still not a number.
      return Optional.empty();
    }
    String plain = text.replace("_", "");
    Optional<BigInteger> integer = GoNumbers.parseInt(plain).or(() -> GoNumbers.parseUint(plain));
    if (integer.isPresent()) {
      return Optional.of(integer.get());
    }
    if (YAML_FLOAT.matcher(plain).matches()) {
      return parseFloat(plain);
    }
    return Optional.empty();
  }

  private static Optional<Object> parseFloat(String text) {
    try {
      double value = Double.parseDouble(text);
      return Double.isInfinite(value) ? Optional.empty() : Optional.of(value);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Tag tagOf(Object value) {
    return value instanceof Boolean ? Tag.BOOL : value instanceof BigInteger ? Tag.INT : Tag.FLOAT;
  }

  private static String asString(Object value) {
    if (value instanceof Double number) {
      return GoNumbers.formatFloat32(number);
    }
    return value.toString();
  }
}
