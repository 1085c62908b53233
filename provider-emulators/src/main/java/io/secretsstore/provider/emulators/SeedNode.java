// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import io.secretsstore.provider.yaml.SafeYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * One node of an {@code emulators --seed} file, with its key path and line, so that every error
 * names both: {@code seed.yaml line 7: vault.roles[0].audience: must be a string}. Mappings refuse
 * keys they do not know, so a misspelt key is an error rather than silently ignored.
 */
public final class SeedNode {
  private final Node node;
  private final String path;
  private final String file;

  private SeedNode(Node node, String path, String file) {
    this.node = node;
    this.path = path;
    this.file = file;
  }

  /** Reads a seed file: a YAML mapping (an empty file is an empty mapping). */
  public static SeedNode read(Path file) throws IOException {
    String name = String.valueOf(file.getFileName());
    return parse(Files.readString(file, StandardCharsets.UTF_8), name);
  }

  /** Parses seed YAML; {@code name} labels errors. */
  public static SeedNode parse(String yaml, String name) {
    Optional<Node> document;
    try {
      document = new Compose(SafeYaml.settings(name, new CoreSchema())).composeString(yaml);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().or(e::getContextMark).map(mark -> mark.getLine() + 1).orElse(0);
      throw new SeedException(name + " line " + line + ": not valid YAML (" + e.getProblem() + ")");
    } catch (RuntimeException e) {
      throw new SeedException(name + ": not valid YAML");
    }
    SeedNode root = new SeedNode(document.orElse(null), "", name);
    if (root.node != null && !(root.node instanceof MappingNode)) {
      throw root.error("the seed file must be a mapping of cloud names");
    }
    return root;
  }

  /** The key path, e.g. {@code vault.roles[0]}; empty for the root. */
  public String path() {
    return path;
  }

  /** The 1-based line of this node. */
  public int line() {
    return node == null ? 1 : node.getStartMark().map(Mark::getLine).orElse(0) + 1;
  }

  /** An error naming the file, line and key path. */
  public SeedException error(String problem) {
    return new SeedException(
        file + " line " + line() + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
  }

  /** The mapping's entries in file order, refusing any key not in {@code allowed}. */
  public Map<String, SeedNode> entries(Set<String> allowed) {
    if (node == null) {
      return Map.of();
    }
    if (!(node instanceof MappingNode mapping)) {
      throw error("must be a mapping");
    }
    Map<String, SeedNode> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        throw new SeedNode(tuple.getKeyNode(), path, file).error("keys must be plain strings");
      }
      String childPath = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
      if (!allowed.contains(key.getValue())) {
        throw new SeedNode(tuple.getKeyNode(), childPath, file)
            .error("unknown key; expected one of " + new java.util.TreeSet<>(allowed));
      }
      entries.put(key.getValue(), new SeedNode(tuple.getValueNode(), childPath, file));
    }
    return entries;
  }

  /** The mapping's value at {@code key}, which must be present. */
  public SeedNode required(Map<String, SeedNode> entries, String key) {
    SeedNode child = entries.get(key);
    if (child == null) {
      throw error("missing key " + key);
    }
    return child;
  }

  /** The items of the list at {@code key}, or none when the key is absent. */
  public static List<SeedNode> itemsOf(Map<String, SeedNode> entries, String key) {
    SeedNode list = entries.get(key);
    return list == null ? List.of() : list.items();
  }

  /** The string at {@code key}, or {@code fallback} when the key is absent. */
  public static String stringOr(Map<String, SeedNode> entries, String key, String fallback) {
    SeedNode value = entries.get(key);
    return value == null ? fallback : value.string();
  }

  /** A non-empty string scalar. */
  public String string() {
    if (!(node instanceof ScalarNode scalar) || scalar.getValue().isEmpty()) {
      throw error("must be a non-empty string");
    }
    return scalar.getValue();
  }

  /** A boolean scalar: {@code true} or {@code false}. */
  public boolean bool() {
    String value = string();
    if (!value.equals("true") && !value.equals("false")) {
      throw error("must be true or false");
    }
    return Boolean.parseBoolean(value);
  }

  /** The items of a sequence. */
  public List<SeedNode> items() {
    if (!(node instanceof SequenceNode sequence)) {
      throw error("must be a list");
    }
    List<SeedNode> items = new ArrayList<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      items.add(new SeedNode(sequence.getValue().get(i), path + "[" + i + "]", file));
    }
    return items;
  }

  /** A non-empty list of non-empty strings. */
  public List<String> strings() {
    List<String> values = items().stream().map(SeedNode::string).toList();
    if (values.isEmpty()) {
      throw error("must list at least one entry");
    }
    return values;
  }

  /** A mapping of string keys to string values (e.g. one KV version's data). */
  public Map<String, Object> stringMap() {
    if (!(node instanceof MappingNode mapping)) {
      throw error("must be a mapping of keys to values");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      SeedNode key = new SeedNode(tuple.getKeyNode(), path, file);
      String name = key.string();
      values.put(name, new SeedNode(tuple.getValueNode(), path + "." + name, file).string());
    }
    return values;
  }

  /** Refused seed files: the message names the file, line and key, never a value. */
  public static final class SeedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    SeedException(String message) {
      super(message);
    }
  }
}
