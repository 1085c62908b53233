// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.spi.ProviderException;
import io.secretsstore.provider.yaml.SafeYaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * Reads {@code objects} as upstream writes it: YAML with a top-level {@code array:} whose every
 * element is itself a YAML string holding one object's fields. Every scalar stays text (the
 * failsafe schema), so an unquoted {@code filePermission: 0755} keeps its leading zero as Go's
 * decoder into a string does. Values are trimmed, as upstream. An unknown field is refused by name,
 * where upstream ignores it, so that a typo ({@code filePermision}) cannot silently leave a file
 * with the default mode (security checklist row 6). Messages name positions and fields, never values.
 */
final class ObjectsArray {
  static final String PARAMETER = "objects";
  static final List<String> FIELDS = List.of("objectName", "objectType", "objectVersion", "objectAlias", "objectFormat",
      "objectEncoding", "filePermission", "objectVersionHistory");

  /** Every scalar as text, except an empty value, which is null (Go leaves the field empty). */
  private static final FailsafeSchema TEXT_AND_NULL = new FailsafeSchema() {
    @Override
    public Map<org.snakeyaml.engine.v2.nodes.Tag, org.snakeyaml.engine.v2.api.ConstructNode> getSchemaTagConstructors() {
      return Map.of(org.snakeyaml.engine.v2.nodes.Tag.NULL, new org.snakeyaml.engine.v2.constructor.ConstructYamlNull());
    }
  };

  private ObjectsArray() {}

  /** Each element's fields (the names of {@link #FIELDS}, trimmed values, empty when absent). */
  static List<Map<String, String>> parse(String yaml) {
    if (yaml.isBlank()) {
      return List.of();
    }
    Object root = load(yaml, PARAMETER);
    if (root == null) {
      return List.of();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw invalid("failed to unmarshal objects: objects must be a mapping with an array");
    }
    Object array = field(map, "array");
    if (array == null || array instanceof String text && text.isEmpty()) {
      return List.of();
    }
    if (!(array instanceof List<?> elements)) {
      throw invalid("failed to unmarshal objects: objects.array must be a list");
    }
    List<Map<String, String>> objects = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      String where = PARAMETER + ".array[" + i + "]";
      if (!(elements.get(i) instanceof String element)) {
        throw invalid("failed to unmarshal object: " + where + " must be a YAML string (write each element as '- |')");
      }
      Object inner = load(element, where);
      if (inner != null && !(inner instanceof Map<?, ?>)) {
        throw invalid("failed to unmarshal object: " + where + " must hold a mapping of object fields");
      }
      if (inner != null) {
        requireKnownFields((Map<?, ?>) inner, where);
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (String name : FIELDS) {
        Object value = inner == null ? null : field((Map<?, ?>) inner, name);
        if (value != null && !(value instanceof String)) {
          throw invalid("failed to unmarshal object: " + where + "." + name + " must be a string");
        }
        fields.put(name, value == null ? "" : ((String) value).trim());
      }
      objects.add(fields);
    }
    return objects;
  }

  /** Every key must be one of {@link #FIELDS}, ignoring case as they are matched. */
  private static void requireKnownFields(Map<?, ?> fields, String where) {
    int index = 0;
    for (Object key : fields.keySet()) {
      boolean known = key instanceof String name && FIELDS.stream().anyMatch(name::equalsIgnoreCase);
      if (!known) {
        throw invalid("failed to unmarshal object: " + where + " has an unknown field " + SafeText.name(String.valueOf(key), index)
            + "; the fields are " + String.join(", ", FIELDS));
      }
      index++;
    }
  }

  private static Object load(String yaml, String label) {
    if (yaml.isBlank()) {
      return null;
    }
    try {
      return new Load(SafeYaml.settings(label, TEXT_AND_NULL)).loadFromString(yaml);
    } catch (RuntimeException e) {
      throw invalid("failed to unmarshal " + label + ": not valid YAML");
    }
  }

  /** The exact field name first, then one equal ignoring case (Go's decoders are lenient so). */
  private static Object field(Map<?, ?> map, String name) {
    if (map.containsKey(name)) {
      return map.get(name);
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (entry.getKey() instanceof String key && key.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return entry.getValue();
      }
    }
    return null;
  }

  private static ProviderException invalid(String message) {
    return ProviderException.invalidArgument(message);
  }
}
