// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoJsonTest {
  @Test
  void nilMapIsTheNullLiteralAndEmptyMapIsBraces() {
    assertThat(GoJson.object(null)).isEqualTo("null");
    assertThat(GoJson.object(Map.of())).isEqualTo("{}");
  }

  @Test
  void keysAreSortedByUtf8BytesAsGoSortsMapKeys() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("b", "1");
    map.put("\uD83D\uDE00", "astral"); // F0 9F 98 80 in UTF-8
    map.put(
        "\uFF21",
        "fullwidth"); // EF BC A1: sorts before the astral key in bytes, after it in UTF-16
    map.put("a", "2");

    assertThat(GoJson.object(map))
        .isEqualTo(
            "{\"a\":\"2\",\"b\":\"1\",\"\uFF21\":\"fullwidth\",\"\uD83D\uDE00\":\"astral\"}");
  }

  @Test
  void escapesLikeGoEncodingJsonWithHtmlEscaping() {
    String escaped =
        GoJson.quote(
                "q\"b\\ <>& \n\r\t\b\f \u0001 \u007f \u2028\u2029 \uD800 é", new StringBuilder())
            .toString();

    assertThat(escaped)
        .isEqualTo(
            "\"q\\\"b\\\\ \\u003c\\u003e\\u0026 \\n\\r\\t\\b\\f \\u0001 \u007f \\u2028\\u2029 \\ufffd é\"");
  }
}
