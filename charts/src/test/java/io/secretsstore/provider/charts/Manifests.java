// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The documents of a rendered chart, parsed with snakeyaml-engine, and typed navigation over them.
 */
final class Manifests {
  private final List<Node> documents;

  private Manifests(List<Node> documents) {
    this.documents = documents;
  }

  static Manifests parse(String rendered) {
    Load load = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build());
    List<Node> documents = new ArrayList<>();
    for (Object document : load.loadAllFromString(rendered)) {
      if (document != null) {
        documents.add(new Node(document, "$"));
      }
    }
    return new Manifests(documents);
  }

  List<Node> all() {
    return documents;
  }

  List<Node> ofKind(String kind) {
    return documents.stream().filter(d -> kind.equals(d.get("kind").value())).toList();
  }

  Optional<Node> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(d -> name.equals(d.at("metadata.name").string()))
        .findFirst();
  }

  /** The only document of a kind; fails when there are none or several. */
  Node one(String kind) {
    List<Node> found = ofKind(kind);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + kind + " but found " + found.size() + " in " + kinds());
    }
    return found.get(0);
  }

  /** The only document of a kind and name. */
  Node one(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + kinds()));
  }

  List<String> kinds() {
    return documents.stream()
        .map(d -> d.get("kind").string() + "/" + d.at("metadata.name").string())
        .toList();
  }

  /** A value inside a parsed document, navigated by key or dotted path. */
  static final class Node {
    private final Object value;
    private final String path;

    Node(Object value, String path) {
      this.value = value;
      this.path = path;
    }

    Object value() {
      return value;
    }

    boolean isMissing() {
      return value == null;
    }

    Node get(String key) {
      return new Node(map().get(key), path + "." + key);
    }

    Node get(int index) {
      return new Node(list().get(index).value, path + "[" + index + "]");
    }

    /** Dotted path; numeric segments index lists: {@code spec.template.spec.containers.0.args}. */
    Node at(String dotted) {
      Node node = this;
      for (String segment : dotted.split("\\.")) {
        if (node.isMissing()) {
          return node;
        }
        node =
            segment.chars().allMatch(Character::isDigit) && node.value instanceof List
                ? node.get(Integer.parseInt(segment))
                : node.get(segment);
      }
      return node;
    }

    String string() {
      if (value == null) {
        return null;
      }
      return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
      if (value == null) {
        return Map.of();
      }
      if (!(value instanceof Map)) {
        throw new AssertionError(path + " is not a map: " + value);
      }
      return (Map<String, Object>) value;
    }

    List<Node> list() {
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof List<?> items)) {
        throw new AssertionError(path + " is not a list: " + value);
      }
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        nodes.add(new Node(items.get(i), path + "[" + i + "]"));
      }
      return nodes;
    }

    List<String> strings() {
      return list().stream().map(Node::string).toList();
    }

    /** The element of a list of maps whose "name" is the given one. */
    Node named(String name) {
      return list().stream()
          .filter(n -> name.equals(n.get("name").string()))
          .findFirst()
          .orElseThrow(() -> new AssertionError(path + " has no element named " + name));
    }

    @Override
    public String toString() {
      return path + "=" + value;
    }
  }
}
