// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.yaml.BoundedYaml;
import io.secretsstore.provider.yaml.GoTextSchema;
import io.secretsstore.provider.yaml.ParsedParameters;
import io.secretsstore.provider.yaml.YamlLimits;
import io.secretsstore.provider.yaml.YamlRefusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the {@code secrets} parameter as upstream does (gopkg.in/yaml.v3 into a list of structs):
 * field names match exactly (they are case-sensitive). An unknown field is refused by name, where
 * upstream ignores it, so that a typo ({@code fileName} as {@code filename}, {@code mode} as {@code
 * mod}) cannot silently mount the wrong file or mode (security checklist row 6). Scalars are read
 * as text ({@link GoTextSchema}) so that {@code mode: 0400} keeps its leading zero and can be read
 * as octal, as yaml.v3 does, and merge keys are merged. Loading is core's bounded loader; messages
 * name positions and fields, never values.
 */
final class SecretsYaml {
  static final String PARAMETER = "secrets";
  static final List<String> FIELDS =
      List.of("resourceName", "fileName", "path", "mode", "extractJSONKey", "extractYAMLKey");
  private static final String FAILED = "failed to unmarshal secrets attribute: ";

  private SecretsYaml() {}

  /** Parsed once per text: every rotation re-Mount sends the same one. */
  private static final ParsedParameters<List<SecretEntry>> PARSED =
      new ParsedParameters<>(SecretsYaml::read);

  static List<SecretEntry> parse(String yaml) {
    return yaml == null ? List.of() : PARSED.parse(yaml);
  }

  private static List<SecretEntry> read(String yaml) {
    Object root;
    try {
      // Every scalar as its text, nulls empty and merge keys merged, as yaml.v3 decodes into the
      // struct.
      root = BoundedYaml.load(yaml, PARAMETER, new GoTextSchema(), YamlLimits.PARAMETER);
    } catch (YamlRefusal e) {
      throw ProviderException.invalidArgument(FAILED + PARAMETER + " " + e.getMessage());
    }
    if (root == null || root instanceof String text && text.isEmpty()) {
      return List.of();
    }
    if (!(root instanceof List<?> list)) {
      throw ProviderException.invalidArgument(FAILED + PARAMETER + " must be a list of entries");
    }
    List<SecretEntry> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = PARAMETER + "[" + i + "]";
      Object item = list.get(i);
      if (item == null || item instanceof String text && text.isEmpty()) {
        entries.add(new SecretEntry("", "", "", null, "", ""));
        continue;
      }
      if (!(item instanceof Map<?, ?> map)) {
        throw ProviderException.invalidArgument(FAILED + where + " must be a mapping");
      }
      requireKnownFields(map, where);
      entries.add(
          new SecretEntry(
              string(map, "resourceName", where),
              string(map, "fileName", where),
              string(map, "path", where),
              map.get("mode") == null ? null : string(map, "mode", where),
              string(map, "extractJSONKey", where),
              string(map, "extractYAMLKey", where)));
    }
    return List.copyOf(entries);
  }

  private static void requireKnownFields(Map<?, ?> map, String where) {
    int index = 0;
    for (Object key : map.keySet()) {
      if (!(key instanceof String name) || !FIELDS.contains(name)) {
        throw ProviderException.invalidArgument(
            FAILED
                + where
                + " has an unknown field "
                + SafeText.unknownKey(String.valueOf(key), index, FIELDS)
                + "; the fields are "
                + String.join(", ", FIELDS)
                + " (case-sensitive)");
      }
      index++;
    }
  }

  private static String string(Map<?, ?> map, String field, String where) {
    Object value = map.get(field);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String text)) {
      throw ProviderException.invalidArgument(FAILED + where + "." + field + " must be a scalar");
    }
    return text;
  }
}
