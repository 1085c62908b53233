// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.yaml.GoNumbers;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Resolves plain scalars as gopkg.in/yaml.v3 (upstream's parser) does, so {@code filePermission:
 * 0600} is the octal 384 it is upstream, not the decimal 600 of YAML 1.2: nulls, the three
 * spellings of true and false, integers as Go's {@code ParseInt(s, 0, 64)} reads them (0x, 0o, 0b
 * and a leading 0 for octal), YAML floats, {@code <<} as a merge key, and everything else a string.
 * No constructors: the tree is walked by hand, so no tag can ever instantiate anything.
 */
final class GoYamlSchema implements Schema {
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
  private static final Pattern INT =
      Pattern.compile("[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)");
  private static final Pattern FLOAT =
      Pattern.compile(
          "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

  private static final ScalarResolver RESOLVER =
      (value, implicit) -> {
        if (!implicit) {
          return Tag.STR;
        }
        if ("<<".equals(value)) {
          return Tag.MERGE;
        }
        if (NULL.matcher(value).matches()) {
          return Tag.NULL;
        }
        if (BOOL.matcher(value).matches()) {
          return Tag.BOOL;
        }
        if (INT.matcher(value).matches() && parseInt(value).isPresent()) {
          return Tag.INT;
        }
        if (FLOAT.matcher(value).matches()) {
          return Tag.FLOAT;
        }
        return Tag.STR;
      };

  @Override
  public ScalarResolver getScalarResolver() {
    return RESOLVER;
  }

  @Override
  public Map<Tag, ConstructNode> getSchemaTagConstructors() {
    return Map.of();
  }

  /** Go's {@code strconv.ParseInt(s, 0, 64)}: empty when the text is not such an integer. */
  static Optional<BigInteger> parseInt(String text) {
    return GoNumbers.parseInt(text);
  }
}
