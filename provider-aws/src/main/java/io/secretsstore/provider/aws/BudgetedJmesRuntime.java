// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.json.JsonMappers;
import java.io.Writer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A JMESPath runtime for one evaluation that charges every step against a work budget while it
 * runs: elements listed or created, characters of strings read, created or serialised, comparisons
 * made. A 47 KB secret is enough for an expression that doubles its value at every pipe ({@code
 * [@,@]|[@,@]|...|to_string(@)}) or joins it with itself thousands of times; checking the size of
 * the result afterwards is too late, the heap is gone by then. Every string the functions build is
 * made of strings read through {@link #toString(JsonNode)}, so charging those reads bounds what is
 * allocated to about twice the budget.
 */
final class BudgetedJmesRuntime extends JsonNodeRuntime {
  /** Thrown when the budget is spent; carries no part of the document. */
  static final class BudgetExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceeded() {
      super("the jmesPath evaluation exceeded its work budget", null, false, false);
    }
  }

  private long remaining;

  BudgetedJmesRuntime(long budget) {
    this.remaining = budget;
  }

  private void charge(long units) {
    remaining -= units + 1;
    if (remaining < 0) {
      throw new BudgetExceeded();
    }
  }

  @Override
  public List<JsonNode> toList(JsonNode value) {
    if (value.isContainer()) {
      charge(value.size());
    }
    return super.toList(value);
  }

  @Override
  public Collection<JsonNode> getPropertyNames(JsonNode value) {
    charge(value.size());
    return super.getPropertyNames(value);
  }

  @Override
  public JsonNode getProperty(JsonNode value, JsonNode name) {
    charge(0);
    return super.getProperty(value, name);
  }

  @Override
  public JsonNode createArray(Collection<JsonNode> elements) {
    charge(elements.size());
    return super.createArray(elements);
  }

  @Override
  public JsonNode createObject(Map<JsonNode, JsonNode> members) {
    charge(members.size());
    return super.createObject(members);
  }

  @Override
  public JsonNode createString(String text) {
    charge(text.length());
    return super.createString(text);
  }

  @Override
  public JsonNode parseString(String text) {
    charge(text.length());
    return super.parseString(text);
  }

  @Override
  public int compare(JsonNode a, JsonNode b) {
    charge(0);
    return super.compare(a, b);
  }

  /**
   * Text as is (charged by length); anything else serialised through a writer that charges as it
   * goes.
   */
  @Override
  public String toString(JsonNode value) {
    if (value.isString()) {
      charge(value.stringValue().length());
      return value.stringValue();
    }
    StringBuilderWriter out = new StringBuilderWriter();
    JsonMappers.READER.writeValue(out, value);
    return out.text.toString();
  }

  /** Serialisation target that charges each character before keeping it. */
  private final class StringBuilderWriter extends Writer {
    final StringBuilder text = new StringBuilder();

    @Override
    public void write(char[] buffer, int offset, int length) {
      charge(length);
      text.append(buffer, offset, length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
