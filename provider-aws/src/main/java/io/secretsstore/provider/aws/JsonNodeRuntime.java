// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.burt.jmespath.BaseRuntime;
import io.burt.jmespath.JmesPathType;
import io.secretsstore.provider.json.JsonMappers;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JMESPath over Jackson 3 trees: how jmespath-core sees a {@link JsonNode}'s type, truth, number,
 * text, elements and members, and how it builds new ones. A missing node is JMESPath's null, as is
 * a property an object lacks or any property of a non-object. Binary and POJO nodes never come out
 * of parsing JSON, so meeting one is a bug and is refused rather than given a guessed meaning.
 */
class JsonNodeRuntime extends BaseRuntime<JsonNode> {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A JSON literal in an expression; the parser's message quotes the input, so it is dropped. */
  @Override
  public JsonNode parseString(String text) {
    try {
      return JsonMappers.READER.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalStateException("a JSON literal in the expression is not valid JSON");
    }
  }

  /** An array's elements (a view, not a copy), an object's values in order, else nothing. */
  @Override
  public List<JsonNode> toList(JsonNode value) {
    if (value.isArray()) {
      return new Elements(value);
    }
    if (value.isObject()) {
      return new ArrayList<>(value.values());
    }
    return List.of();
  }

  /** A string's own text; any other value as compact JSON, members in document order. */
  @Override
  public String toString(JsonNode value) {
    return value.isString() ? value.stringValue() : JsonMappers.READER.writeValueAsString(value);
  }

  /** Integer, Long, BigInteger or Double as parsed; null for a non-number, as the contract asks. */
  @Override
  public Number toNumber(JsonNode value) {
    return value.isNumber() ? value.numberValue() : null;
  }

  @Override
  public boolean isTruthy(JsonNode value) {
    return switch (typeOf(value)) {
      case NULL -> false;
      case BOOLEAN -> value.booleanValue();
      case NUMBER -> true;
      case STRING -> !value.stringValue().isEmpty();
      case ARRAY, OBJECT -> !value.isEmpty();
    };
  }

  @Override
  public JmesPathType typeOf(JsonNode value) {
    return switch (value.getNodeType()) {
      case NULL, MISSING -> JmesPathType.NULL;
      case BOOLEAN -> JmesPathType.BOOLEAN;
      case NUMBER -> JmesPathType.NUMBER;
      case STRING -> JmesPathType.STRING;
      case ARRAY -> JmesPathType.ARRAY;
      case OBJECT -> JmesPathType.OBJECT;
      case BINARY, POJO ->
          throw new IllegalStateException("not a JSON value: " + value.getNodeType());
    };
  }

  @Override
  public JsonNode getProperty(JsonNode value, JsonNode name) {
    JsonNode member = name.isString() ? value.get(name.stringValue()) : null;
    return member == null ? createNull() : member;
  }

  /** An object's property names as strings, in document order; nothing for any other value. */
  @Override
  public Collection<JsonNode> getPropertyNames(JsonNode value) {
    if (!value.isObject()) {
      return List.of();
    }
    List<JsonNode> names = new ArrayList<>(value.size());
    for (String name : value.propertyNames()) {
      names.add(createString(name));
    }
    return names;
  }

  @Override
  public JsonNode createNull() {
    return NODES.nullNode();
  }

  @Override
  public JsonNode createArray(Collection<JsonNode> elements) {
    return NODES.arrayNode(elements.size()).addAll(elements);
  }

  @Override
  public JsonNode createString(String text) {
    return NODES.stringNode(text);
  }

  @Override
  public JsonNode createBoolean(boolean value) {
    return NODES.booleanNode(value);
  }

  /** Members in the map's order; the keys are strings, as jmespath-core only makes such keys. */
  @Override
  public JsonNode createObject(Map<JsonNode, JsonNode> members) {
    ObjectNode object = NODES.objectNode();
    members.forEach((name, member) -> object.set(name.stringValue(), member));
    return object;
  }

  @Override
  public JsonNode createNumber(double value) {
    return NODES.numberNode(value);
  }

  @Override
  public JsonNode createNumber(long value) {
    return NODES.numberNode(value);
  }

  /** An array's elements read in place: indexing and slicing copy nothing. */
  private static final class Elements extends AbstractList<JsonNode> implements RandomAccess {
    private final JsonNode array;

    Elements(JsonNode array) {
      this.array = array;
    }

    @Override
    public JsonNode get(int index) {
      return array.get(Objects.checkIndex(index, array.size()));
    }

    @Override
    public int size() {
      return array.size();
    }
  }
}
