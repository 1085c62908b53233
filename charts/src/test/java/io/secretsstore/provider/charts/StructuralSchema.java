// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validation the API server applies to a custom resource with a CRD's structural schema, for
 * the keywords the SecretSync CRD uses: type, required, properties, additionalProperties, items,
 * min/max items and lengths, pattern, enum, minimum, list-map key uniqueness, defaults, and
 * x-kubernetes-validations rules run with CEL. Unknown fields are pruned by the API server, not
 * refused, so they are not errors here either.
 */
final class StructuralSchema {
  private StructuralSchema() {}

  /** The errors, each with its field path; empty when the object is accepted. */
  static List<String> validate(Map<String, Object> schema, Object value) {
    List<String> errors = new ArrayList<>();
    check(schema, value, "", errors);
    return errors;
  }

  @SuppressWarnings("unchecked")
  private static void check(
      Map<String, Object> schema, Object value, String path, List<String> errors) {
    String type = (String) schema.get("type");
    if (type != null && !hasType(type, value)) {
      errors.add(path + ": must be " + type);
      return;
    }
    if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
      errors.add(path + ": not one of " + allowed);
    }
    if (value instanceof String text) {
      int length = text.codePointCount(0, text.length());
      if (schema.get("minLength") instanceof Number min && length < min.intValue()) {
        errors.add(path + ": shorter than " + min);
      }
      if (schema.get("maxLength") instanceof Number max && length > max.intValue()) {
        errors.add(path + ": longer than " + max);
      }
      if (schema.get("pattern") instanceof String pattern
          && !Pattern.compile(pattern).matcher(text).find()) {
        errors.add(path + ": does not match " + pattern);
      }
    }
    if (value instanceof Number number
        && schema.get("minimum") instanceof Number min
        && number.longValue() < min.longValue()) {
      errors.add(path + ": less than " + min);
    }
    if (value instanceof Map<?, ?> raw) {
      Map<String, Object> map = (Map<String, Object>) raw;
      for (Object required : (List<?>) schema.getOrDefault("required", List.of())) {
        if (!map.containsKey(required)) {
          errors.add(path + "." + required + ": required");
        }
      }
      Map<String, Object> properties =
          (Map<String, Object>) schema.getOrDefault("properties", Map.of());
      for (Map.Entry<String, Object> entry : map.entrySet()) {
        Object property = properties.get(entry.getKey());
        if (property == null) {
          property =
              schema.get("additionalProperties") instanceof Map<?, ?> additional
                  ? additional
                  : null;
        }
        if (property != null) {
          check(
              (Map<String, Object>) property,
              entry.getValue(),
              path + "." + entry.getKey(),
              errors);
        }
      }
    }
    if (value instanceof List<?> list) {
      if (schema.get("minItems") instanceof Number min && list.size() < min.intValue()) {
        errors.add(path + ": fewer than " + min + " items");
      }
      if (schema.get("maxItems") instanceof Number max && list.size() > max.intValue()) {
        errors.add(path + ": more than " + max + " items");
      }
      if ("map".equals(schema.get("x-kubernetes-list-type"))) {
        List<?> keys = (List<?>) schema.get("x-kubernetes-list-map-keys");
        Set<List<Object>> seen = new HashSet<>();
        for (Object item : list) {
          List<Object> key =
              keys.stream().map(k -> ((Map<?, ?>) item).get(k)).map(v -> (Object) v).toList();
          if (!seen.add(key)) {
            errors.add(path + ": duplicate entry for key " + keys + " = " + key);
          }
        }
      }
      for (int i = 0; i < list.size(); i++) {
        check((Map<String, Object>) schema.get("items"), list.get(i), path + "[" + i + "]", errors);
      }
    }
    for (Object rule : (List<?>) schema.getOrDefault("x-kubernetes-validations", List.of())) {
      Map<String, Object> validation = (Map<String, Object>) rule;
      if (!CelRules.test((String) validation.get("rule"), Map.of("self", value))) {
        errors.add(path + ": " + validation.get("message"));
      }
    }
  }

  /** The object with the schema's defaults filled in, as the API server stores it. */
  @SuppressWarnings("unchecked")
  static Object withDefaults(Map<String, Object> schema, Object value) {
    if (value instanceof Map<?, ?> raw) {
      Map<String, Object> map = new LinkedHashMap<>((Map<String, Object>) raw);
      Map<String, Object> properties =
          (Map<String, Object>) schema.getOrDefault("properties", Map.of());
      properties.forEach(
          (name, property) -> {
            Map<String, Object> propertySchema = (Map<String, Object>) property;
            if (!map.containsKey(name) && propertySchema.containsKey("default")) {
              map.put(name, propertySchema.get("default"));
            }
            if (map.containsKey(name)) {
              map.put(name, withDefaults(propertySchema, map.get(name)));
            }
          });
      return map;
    }
    return value;
  }

  private static boolean hasType(String type, Object value) {
    return switch (type) {
      case "object" -> value instanceof Map;
      case "array" -> value instanceof List;
      case "string" -> value instanceof String;
      case "integer" -> value instanceof Integer || value instanceof Long;
      case "boolean" -> value instanceof Boolean;
      case "number" -> value instanceof Number;
      default -> false;
    };
  }
}
