// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The committed values.yaml, values.schema.json and README of each chart agree with each other and
 * across charts.
 */
class ValuesFilesTest {
  private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z][\\w.-]*):(.*)$");

  /** Keys whose defaults legitimately differ per backend. */
  private static final Set<String> PER_BACKEND_DEFAULTS =
      Set.of("image", "providerName", "affinity");

  /** Top-level keys only some backends have. */
  private static final Map<Backend, Set<String>> BACKEND_KEYS =
      Map.of(
          Backend.AWS, Set.of("awsRegion"),
          Backend.AZURE, Set.of("azure"),
          Backend.GCP, Set.of("gcpProject", "gkeClusterLocation", "gkeClusterName", "tokenRequest"),
          Backend.VAULT, Set.of("vault", "hmacSecretName", "tokenRequest"));

  /** Schema properties for keys Helm adds to the merged values, not in values.yaml. */
  private static final Set<String> HELM_KEYS = Set.of("global", "secrets-store-provider-lib");

  private static String read(Backend backend, String file) throws IOException {
    return Files.readString(Charts.source(backend.chart()).resolve(file));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schemaProperties(Backend backend) throws IOException {
    return (Map<String, Object>) yaml(read(backend, "values.schema.json")).get("properties");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyValueIsCommented(Backend backend) throws IOException {
    List<String> lines = read(backend, "values.yaml").lines().toList();
    List<String> undocumented = new ArrayList<>();
    // indentation -> whether the key at that level (an ancestor of the current line) is documented
    Map<Integer, Boolean> documentedAncestors = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = KEY.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      int indent = m.group(1).length();
      documentedAncestors.keySet().removeIf(level -> level >= indent);
      boolean commented = i > 0 && lines.get(i - 1).trim().startsWith("#");
      boolean coveredByAncestor = documentedAncestors.containsValue(true);
      boolean isLeaf = !m.group(3).isBlank() || !nextKeyIsChild(lines, i, indent);
      if (isLeaf && !commented && !coveredByAncestor) {
        undocumented.add(lines.get(i).trim());
      }
      documentedAncestors.put(indent, commented || coveredByAncestor);
    }
    assertThat(undocumented).as("values without a comment").isEmpty();
  }

  private static boolean nextKeyIsChild(List<String> lines, int index, int indent) {
    for (int j = index + 1; j < lines.size(); j++) {
      String line = lines.get(j);
      if (line.isBlank() || line.trim().startsWith("#")) {
        continue;
      }
      Matcher m = KEY.matcher(line);
      return m.matches() && m.group(1).length() > indent;
    }
    return false;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theSchemaTypesExactlyTheTopLevelValues(Backend backend) throws IOException {
    Map<String, Object> schema = yaml(read(backend, "values.schema.json"));
    Set<String> properties = new java.util.TreeSet<>(schemaProperties(backend).keySet());
    properties.removeAll(HELM_KEYS);

    assertThat(schema.get("additionalProperties")).isEqualTo(false);
    assertThat(properties)
        .isEqualTo(new java.util.TreeSet<>(yaml(read(backend, "values.yaml")).keySet()));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theReadmeListsEveryTopLevelValueAndHasAMigrationSection(Backend backend) throws IOException {
    String readme = read(backend, "README.md");

    assertThat(yaml(read(backend, "values.yaml")).keySet())
        .allSatisfy(key -> assertThat(readme).contains("| `" + key));
    assertThat(readme).contains("## Migrating from the upstream chart");
  }

  /**
   * Every value (each leaf key of values.yaml, or a map/list value as a whole) has a README row and
   * a schema type.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyValueHasAReadmeRowAndASchemaType(Backend backend) throws IOException {
    String readme = read(backend, "README.md");
    Map<String, Object> schema = schemaProperties(backend);
    List<String> paths = new ArrayList<>();
    leafPaths("", yaml(read(backend, "values.yaml")), paths);
    List<String> withoutRow = new ArrayList<>();
    List<String> untyped = new ArrayList<>();
    for (String path : paths) {
      if (!hasRow(readme, path)) {
        withoutRow.add(path);
      }
      if (!typed(schema, path.split("\\."))) {
        untyped.add(path);
      }
    }
    assertThat(paths)
        .contains(
            "podSecurityContext",
            "extraVolumes",
            "sync.podDisruptionBudget.enabled",
            "podMonitor.enabled");
    assertThat(withoutRow).as("values without a README row (theirs or an ancestor's)").isEmpty();
    assertThat(untyped).as("values the schema does not type").isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static void leafPaths(String prefix, Map<String, Object> values, List<String> paths) {
    values.forEach(
        (key, value) -> {
          String path = prefix.isEmpty() ? key : prefix + "." + key;
          if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            leafPaths(path, (Map<String, Object>) map, paths);
          } else {
            paths.add(path);
          }
        });
  }

  /**
   * A row for the path or one of its ancestors ("| `a.b` |"), or a row naming it among others
   * ("`a.b.{x,y}`" is not used).
   */
  private static boolean hasRow(String readme, String path) {
    for (String candidate = path;
        ;
        candidate = candidate.substring(0, candidate.lastIndexOf('.'))) {
      if (readme.contains("\n| `" + candidate + "` |")) {
        return true;
      }
      if (!candidate.contains(".")) {
        return false;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static boolean typed(Map<String, Object> properties, String[] path) {
    Map<String, Object> level = properties;
    for (String key : path) {
      Object node = level.get(key);
      if (!(node instanceof Map<?, ?> schemaNode)
          || schemaNode.get("type") == null && schemaNode.get("oneOf") == null) {
        return false;
      }
      Object nested = ((Map<String, Object>) schemaNode).get("properties");
      if (nested == null) {
        // An object typed as a whole (affinity, resources requests, ...) types everything below it.
        return true;
      }
      level = (Map<String, Object>) nested;
    }
    return true;
  }

  @Test
  void theSharedValuesAndSchemaAreIdenticalInTheFourCharts() throws IOException {
    Map<String, Object> awsValues = shared(yaml(read(Backend.AWS, "values.yaml")), Backend.AWS);
    Map<String, Object> awsSchema = shared(schemaProperties(Backend.AWS), Backend.AWS);
    for (Backend backend : Backend.values()) {
      Map<String, Object> values = shared(yaml(read(backend, "values.yaml")), backend);
      values.keySet().removeAll(PER_BACKEND_DEFAULTS);
      Map<String, Object> expected = new HashMap<>(awsValues);
      expected.keySet().removeAll(PER_BACKEND_DEFAULTS);

      assertThat(values).as("values.yaml of %s", backend).isEqualTo(expected);
      assertThat(shared(schemaProperties(backend), backend))
          .as("schema of %s", backend)
          .isEqualTo(awsSchema);
    }
  }

  private static Map<String, Object> shared(Map<String, Object> topLevel, Backend backend) {
    Map<String, Object> shared = new HashMap<>(topLevel);
    shared.keySet().removeAll(BACKEND_KEYS.get(backend));
    return shared;
  }

  @Test
  void everyChartHasTheFilesHelmAndItsUsersNeed() {
    for (Backend backend : Backend.values()) {
      Path chart = Charts.source(backend.chart());
      for (String file :
          List.of(
              "Chart.yaml",
              "values.yaml",
              "values.schema.json",
              "README.md",
              "templates/NOTES.txt",
              "templates/_backend.tpl")) {
        assertThat(chart.resolve(file)).as("%s/%s", backend.chart(), file).isRegularFile();
      }
    }
  }
}
