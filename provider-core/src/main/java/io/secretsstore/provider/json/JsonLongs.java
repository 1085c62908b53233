// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.json;

import tools.jackson.core.io.NumberInput;
import tools.jackson.databind.JsonNode;

/**
 * A JSON value read as a long the way Jackson 2's {@code asLong(0)} read it, for token answers
 * whose lifetimes come as numbers or as strings ({@code "expires_in": "3599"}). Jackson 3's {@code
 * asLong(0)} gives 0 for a string with spaces or a fraction, for a boolean, and for a number beyond
 * a long, so answers read before the move would be refused after it.
 */
public final class JsonLongs {
  private JsonLongs() {}

  /**
   * A number (a fraction cut off, an integer beyond a long wrapped), a string parsed leniently
   * ({@code " 3599"}, {@code "3599.9"}, {@code "1e3"}), a boolean as 1 or 0; anything else 0.
   */
  public static long asLong(JsonNode node) {
    if (node.isString()) {
      return NumberInput.parseAsLong(node.stringValue(), 0);
    }
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().longValue();
    }
    if (node.isNumber()) {
      return (long) node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? 1 : 0;
    }
    return 0;
  }
}
