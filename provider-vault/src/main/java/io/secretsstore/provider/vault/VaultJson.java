// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads Vault's JSON into plain values as Go's decoder with {@code UseNumber} does: objects as maps
 * (a repeated key keeps its last value), numbers as their literal text, so a response re-encoded
 * for a whole-response file is byte-identical to upstream's. The parser's messages quote the input,
 * so a failure is reported only as "not JSON".
 */
final class VaultJson {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(200).maxStringLength(8 << 20).build())
          .build();

  private VaultJson() {}

  /** The value of a JSON text, or empty when it is not one JSON value. */
  static Optional<Object> parse(byte[] json) {
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return Optional.empty();
      }
      Object value = read(parser, first);
      if (parser.nextToken() != null) {
        return Optional.empty();
      }
      return Optional.of(value == null ? NULL : value);
    } catch (RuntimeException e) {
      // JacksonException among them: unchecked since Jackson 3, and its message quotes the input.
      return Optional.empty();
    }
  }

  /** Stands for a top-level JSON null, which Optional cannot hold. */
  static final Object NULL = new Object();

  private static Object read(JsonParser parser, JsonToken token) {
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken next = parser.nextToken();
            next != JsonToken.END_OBJECT;
            next = parser.nextToken()) {
          String name = parser.currentName();
          map.remove(name);
          map.put(name, read(parser, parser.nextToken()));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (JsonToken next = parser.nextToken();
            next != JsonToken.END_ARRAY;
            next = parser.nextToken()) {
          list.add(read(parser, next));
        }
        return list;
      }
      case VALUE_STRING -> {
        return parser.getString();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new GoJsonEncoder.RawNumber(parser.getString());
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IllegalStateException("unexpected token");
    }
  }
}
