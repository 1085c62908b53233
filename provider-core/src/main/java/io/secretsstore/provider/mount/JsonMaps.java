// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import io.secretsstore.provider.json.JsonMappers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads the JSON string maps of a MountRequest. Parser errors are replaced by a fixed message: a
 * parser's own message can quote the input, and the input holds tokens and secrets.
 */
final class JsonMaps {
  private static final JsonFactory FACTORY =
      JsonMappers.FACTORY.rebuild().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonMaps() {}

  /**
   * Parses a JSON object whose values are all strings. {@code null}, an empty text and {@code {}}
   * give an empty map.
   *
   * @param field the request field, named in the error
   */
  static Map<String, String> stringMap(String json, String field) {
    if (json == null || json.isBlank() || json.strip().equals("null")) {
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw notAStringMap(field);
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
        String key = parser.currentName();
        if (parser.nextToken() != JsonToken.VALUE_STRING) {
          throw ProviderException.invalidArgument(
              field
                  + " must map every key to a string; the value of "
                  + SafeText.name(key, result.size())
                  + " is not a string");
        }
        result.put(key, parser.getString());
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw notAStringMap(field);
      }
    } catch (JacksonException e) {
      throw notAStringMap(field);
    }
    return Collections.unmodifiableMap(result);
  }

  /** Parses a JSON object of JSON objects, each of string values (the tokens attribute). */
  static Map<String, Map<String, String>> objectOfStringMaps(String json, String field) {
    Map<String, Map<String, String>> result = new LinkedHashMap<>();
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw notAnObject(field);
      }
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String key = parser.currentName();
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw notAnObject(field);
        }
        Map<String, String> inner = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if (value == JsonToken.VALUE_STRING) {
            inner.put(name, parser.getString());
          } else if (value.isStructStart()) {
            parser.skipChildren();
          }
          // Other scalars are ignored: only the string fields token and expirationTimestamp matter.
        }
        result.put(key, Collections.unmodifiableMap(inner));
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw notAnObject(field);
      }
    } catch (JacksonException e) {
      throw notAnObject(field);
    }
    return Collections.unmodifiableMap(result);
  }

  private static ProviderException notAStringMap(String field) {
    return ProviderException.invalidArgument(field + " is not a JSON object of strings");
  }

  private static ProviderException notAnObject(String field) {
    return ProviderException.invalidArgument(
        field
            + " is not a JSON object of {\"token\", \"expirationTimestamp\"} entries by audience");
  }
}
