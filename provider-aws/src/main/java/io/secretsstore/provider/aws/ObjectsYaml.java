// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.yaml.BoundedYaml;
import io.secretsstore.provider.yaml.ParsedParameters;
import io.secretsstore.provider.yaml.YamlLimits;
import io.secretsstore.provider.yaml.YamlRefusal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the {@code objects} parameter as upstream does (sigs.k8s.io/yaml, then Go's
 * encoding/json): YAML or JSON, a list of mappings whose field names match case-insensitively,
 * merge keys merged, and plain numbers and booleans turned into the strings upstream's decoder
 * makes of them for string fields ({@link SigsYamlSchema}). Unknown fields are refused by name
 * (upstream ignores them). Loading is core's bounded loader, so no tag loads a class and size,
 * nodes, depth and aliases are bounded. Messages name positions and fields, never values; the
 * parser's own texts quote input and are dropped.
 */
final class ObjectsYaml {
  static final String PARAMETER = "objects";
  private static final String LOAD_FAILED = "Failed to load SecretProviderClass: ";

  private ObjectsYaml() {}

  /** Parsed once per text: every rotation re-Mount sends the same one. */
  private static final ParsedParameters<List<AwsObject>> PARSED =
      new ParsedParameters<>(ObjectsYaml::read);

  /** The entries, in order; empty when the parameter is absent, blank or null. */
  static List<AwsObject> parse(String yaml) {
    return yaml == null ? List.of() : PARSED.parse(yaml);
  }

  private static List<AwsObject> read(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return List.of();
    }
    Object root;
    try {
      root = BoundedYaml.load(yaml, PARAMETER, new SigsYamlSchema(), YamlLimits.PARAMETER);
    } catch (YamlRefusal e) {
      throw invalid(LOAD_FAILED + PARAMETER + " " + e.getMessage());
    }
    if (root == null) {
      return List.of();
    }
    if (!(root instanceof List<?> list)) {
      throw invalid(LOAD_FAILED + PARAMETER + " must be a list of objects");
    }
    List<AwsObject> objects = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = PARAMETER + "[" + i + "]";
      Object entry = list.get(i);
      if (entry == null) {
        throw invalid("Empty descriptor entry: " + where);
      }
      Map<?, ?> map =
          mapping(
              entry,
              where,
              "objectName",
              "objectType",
              "objectAlias",
              "objectVersion",
              "objectVersionLabel",
              "filePermission",
              "jmesPath",
              "failoverObject");
      objects.add(
          new AwsObject(
              string(map, "objectName", where),
              string(map, "objectType", where),
              string(map, "objectAlias", where),
              string(map, "objectVersion", where),
              string(map, "objectVersionLabel", where),
              string(map, "filePermission", where),
              jmes(field(map, "jmesPath"), where + ".jmesPath"),
              failover(field(map, "failoverObject"), where + ".failoverObject")));
    }
    return List.copyOf(objects);
  }

  private static List<AwsObject.JmesEntry> jmes(Object value, String where) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw invalid(LOAD_FAILED + where + " must be a list");
    }
    List<AwsObject.JmesEntry> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = where + "[" + i + "]";
      if (list.get(i) == null) {
        entries.add(new AwsObject.JmesEntry("", "", ""));
        continue;
      }
      Map<?, ?> map = mapping(list.get(i), at, "path", "objectAlias", "filePermission");
      entries.add(
          new AwsObject.JmesEntry(
              string(map, "path", at),
              string(map, "objectAlias", at),
              string(map, "filePermission", at)));
    }
    return entries;
  }

  private static AwsObject.FailoverObject failover(Object value, String where) {
    if (value == null) {
      return null;
    }
    Map<?, ?> map = mapping(value, where, "objectName", "objectVersion", "objectVersionLabel");
    return new AwsObject.FailoverObject(
        string(map, "objectName", where),
        string(map, "objectVersion", where),
        string(map, "objectVersionLabel", where));
  }

  /** A mapping whose keys are all among the fields (ignoring case, as they are matched). */
  private static Map<?, ?> mapping(Object value, String where, String... fields) {
    if (!(value instanceof Map<?, ?> map)) {
      throw invalid(LOAD_FAILED + where + " must be a mapping");
    }
    int index = 0;
    for (Object key : map.keySet()) {
      boolean known =
          key instanceof String name && Arrays.stream(fields).anyMatch(name::equalsIgnoreCase);
      if (!known) {
        throw invalid(
            LOAD_FAILED
                + where
                + " has an unknown field "
                + SafeText.unknownKey(String.valueOf(key), index, Arrays.asList(fields))
                + "; the fields are "
                + String.join(", ", fields));
      }
      index++;
    }
    return map;
  }

  /**
   * A field as encoding/json finds it: the exact name first, otherwise the first key equal to it
   * ignoring case.
   */
  private static Object field(Map<?, ?> map, String name) {
    if (map.containsKey(name)) {
      return map.get(name);
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (entry.getKey() instanceof String key && key.toLowerCase(Locale.ROOT).equals(lower)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /** A string field; null means absent, as JSON null leaves a Go string empty. */
  private static String string(Map<?, ?> map, String name, String where) {
    Object value = field(map, name);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String text)) {
      throw invalid(LOAD_FAILED + where + "." + name + " must be a string, not a list or mapping");
    }
    return text;
  }

  private static ProviderException invalid(String message) {
    return ProviderException.invalidArgument(message);
  }
}
