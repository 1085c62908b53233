// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.json.GoJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes values byte for byte as Go's {@code json.Marshal} does, because upstream's object versions
 * hash that output and its whole-response files are that output: map keys sorted as byte strings,
 * HTML characters escaped, numbers from Vault written as they arrived ({@code UseNumber}), floats
 * in Go's shortest form.
 */
final class GoJsonEncoder {
  private GoJsonEncoder() {}

  /**
   * A JSON number kept as its literal text, as Go's {@code json.Number} keeps it.
   *
   * @param literal the number as it appeared in the JSON
   */
  record RawNumber(String literal) {}

  static byte[] encode(Object value) {
    StringBuilder out = new StringBuilder();
    value(value, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String encodeString(String text) {
    return GoJson.quote(text, new StringBuilder()).toString();
  }

  static void string(String text, StringBuilder out) {
    GoJson.quote(text, out);
  }

  static void value(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      string(text, out);
    } else if (value instanceof Boolean bool) {
      out.append(bool.booleanValue());
    } else if (value instanceof RawNumber number) {
      out.append(number.literal());
    } else if (value instanceof BigInteger || value instanceof Long || value instanceof Integer) {
      out.append(value);
    } else if (value instanceof Double number) {
      out.append(goFloat(number));
    } else if (value instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>(GoJson.GO_KEY_ORDER);
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> entry : sorted.entrySet()) {
        out.append(first ? "" : ",");
        first = false;
        string(entry.getKey(), out);
        out.append(':');
        value(entry.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",");
        value(list.get(i), out);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException(
          "cannot encode a " + value.getClass().getSimpleName() + " as JSON");
    }
  }

  /**
   * Go's float64 encoding: the shortest digits that read back as the same double, in plain notation
   * unless the magnitude is below 1e-6 or at least 1e21, where it uses an exponent ({@code 1e+21},
   * {@code 1e-7}).
   */
  static String goFloat(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON has no infinity or NaN");
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0" : "0";
    }
    BigDecimal shortest = shortest(value);
    double abs = Math.abs(value);
    if (abs < 1e-6 || abs >= 1e21) {
      BigInteger unscaled = shortest.unscaledValue().abs();
      String digits = unscaled.toString();
      int exponent = digits.length() - 1 - shortest.scale();
      StringBuilder out = new StringBuilder(value < 0 ? "-" : "");
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exponent < 0 ? '-' : '+');
      int magnitude = Math.abs(exponent);
      // Go writes at least two exponent digits but json.Marshal drops the zero of "e-07".
      out.append(exponent >= 0 && magnitude < 10 ? "0" : "").append(magnitude);
      return out.toString();
    }
    return shortest.toPlainString();
  }

  /**
   * The fewest significant digits that parse back to exactly this double (JDK 17's toString is not
   * always shortest).
   */
  private static BigDecimal shortest(double value) {
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal candidate =
          new BigDecimal(value)
              .round(new java.math.MathContext(digits, java.math.RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == value) {
        return candidate.stripTrailingZeros();
      }
    }
    return new BigDecimal(value).stripTrailingZeros();
  }
}
