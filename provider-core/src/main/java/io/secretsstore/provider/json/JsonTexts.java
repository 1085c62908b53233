// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.json;

import tools.jackson.databind.JsonNode;

/**
 * A JSON value read as text the way Jackson 2's {@code asText} read it, for fields whose readings
 * must not change with the move to Jackson 3: a scalar's text, {@code "null"} for JSON null, and
 * empty for an object, an array or an absent field (Jackson 3 gives "" for null and throws for a
 * container).
 */
public final class JsonTexts {
  private JsonTexts() {}

  /** The field's text; {@code "null"} for JSON null. */
  public static String asText(JsonNode node) {
    return asText(node, "null");
  }

  /** The field's text; {@code whenNull} for JSON null. */
  public static String asText(JsonNode node, String whenNull) {
    if (node.isNull()) {
      return whenNull;
    }
    return node.isValueNode() ? node.asString() : "";
  }
}
