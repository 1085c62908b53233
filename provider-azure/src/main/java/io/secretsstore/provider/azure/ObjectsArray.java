// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.yaml.BoundedYaml;
import io.secretsstore.provider.yaml.GoTextSchema;
import io.secretsstore.provider.yaml.ParsedParameters;
import io.secretsstore.provider.yaml.YamlLimits;
import io.secretsstore.provider.yaml.YamlRefusal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code objects} as upstream writes it: YAML with a top-level {@code array:} whose every
 * element is itself a YAML string holding one object's fields. Both levels are read as upstream's
 * yaml.v3 reads them: keys case-sensitive, every scalar as its text ({@link GoTextSchema}, so an
 * unquoted {@code filePermission: 0755} keeps its leading zero), merge keys merged. Values are
 * trimmed, as upstream. An unknown or mis-cased field is refused by name, where upstream ignores
 * it, so that a typo ({@code filePermision}, {@code ObjectAlias}) cannot silently leave a file with
 * the default mode or name (security checklist row 6). Both levels go through core's bounded
 * loader. Messages name positions and fields, never values.
 */
final class ObjectsArray {
  static final String PARAMETER = "objects";
  static final List<String> FIELDS =
      List.of(
          "objectName",
          "objectType",
          "objectVersion",
          "objectAlias",
          "objectFormat",
          "objectEncoding",
          "filePermission",
          "objectVersionHistory");

  private ObjectsArray() {}

  /** Parsed once per text: every rotation re-Mount sends the same one. */
  private static final ParsedParameters<List<Map<String, String>>> PARSED =
      new ParsedParameters<>(ObjectsArray::read);

  /** Each element's fields (the names of {@link #FIELDS}, trimmed values, empty when absent). */
  static List<Map<String, String>> parse(String yaml) {
    return PARSED.parse(yaml);
  }

  private static List<Map<String, String>> read(String yaml) {
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
    requireOnly(map, List.of("array"), "failed to unmarshal objects: objects");
    Object array = map.get("array");
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
        throw invalid(
            "failed to unmarshal object: "
                + where
                + " must be a YAML string (write each element as '- |')");
      }
      Object inner = load(element, where);
      if (inner != null && !(inner instanceof Map<?, ?>)) {
        throw invalid(
            "failed to unmarshal object: " + where + " must hold a mapping of object fields");
      }
      if (inner != null) {
        requireOnly((Map<?, ?>) inner, FIELDS, "failed to unmarshal object: " + where);
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (String name : FIELDS) {
        Object value = inner == null ? null : ((Map<?, ?>) inner).get(name);
        if (value != null && !(value instanceof String)) {
          throw invalid("failed to unmarshal object: " + where + "." + name + " must be a string");
        }
        fields.put(name, value == null ? "" : ((String) value).trim());
      }
      objects.add(Collections.unmodifiableMap(fields));
    }
    return List.copyOf(objects);
  }

  /**
   * Every key must be one of the names, spelled exactly: upstream's yaml.v3 matches keys
   * case-sensitively, so {@code ObjectAlias} would be silently ignored there (the file keeps the
   * object's name). It is refused here, naming the spelling meant.
   */
  private static void requireOnly(Map<?, ?> fields, List<String> names, String where) {
    int index = 0;
    for (Object key : fields.keySet()) {
      if (!(key instanceof String name) || !names.contains(name)) {
        String suggestion =
            key instanceof String name
                ? names.stream()
                    .filter(name::equalsIgnoreCase)
                    .findFirst()
                    .map(n -> " (did you mean " + n + "? keys are case-sensitive)")
                    .orElse("")
                : "";
        throw invalid(
            where
                + " has an unknown field "
                + SafeText.unknownKey(String.valueOf(key), index, names)
                + suggestion
                + "; the fields are "
                + String.join(", ", names));
      }
      index++;
    }
  }

  private static Object load(String yaml, String label) {
    if (yaml.isBlank()) {
      return null;
    }
    try {
      // Every scalar as its text, nulls empty and merge keys merged, as yaml.v3 decodes into
      // strings.
      return BoundedYaml.load(yaml, label, new GoTextSchema(), YamlLimits.PARAMETER);
    } catch (YamlRefusal e) {
      throw invalid("failed to unmarshal " + label + ": it " + e.getMessage());
    }
  }

  private static ProviderException invalid(String message) {
    return ProviderException.invalidArgument(message);
  }
}
