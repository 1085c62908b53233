// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.yaml;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.constructor.ConstructYamlNull;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * Plain scalars as gopkg.in/yaml.v3 hands them to a Go string field: the scalar's text as written
 * (an unquoted {@code 0755}, {@code 2024} or {@code true} stays exactly that text), except the null
 * spellings, which leave the field empty, and {@code <<}, which is a merge key. Every value loads
 * as a string, list or map; no other type is constructed.
 */
public class GoTextSchema extends FailsafeSchema {
  /** yaml.v3's null spellings (and the empty plain scalar). */
  private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");

  private static final ScalarResolver RESOLVER = GoTextSchema::textTag;

  /**
   * The tag of a scalar read as text: a quoted or tagged one is a string; a plain one is null (its
   * null spellings), a merge key ({@code <<}) or a string. Go's YAML v2 and v3 agree on these.
   */
  public static Tag textTag(String value, boolean implicit) {
    if (!implicit) {
      return Tag.STR;
    }
    if (NULLS.contains(value)) {
      return Tag.NULL;
    }
    return "<<".equals(value) ? Tag.MERGE : Tag.STR;
  }

  @Override
  public ScalarResolver getScalarResolver() {
    return RESOLVER;
  }

  @Override
  public Map<Tag, ConstructNode> getSchemaTagConstructors() {
    Map<Tag, ConstructNode> constructors = new HashMap<>(super.getSchemaTagConstructors());
    constructors.put(Tag.NULL, new ConstructYamlNull());
    return constructors;
  }
}
