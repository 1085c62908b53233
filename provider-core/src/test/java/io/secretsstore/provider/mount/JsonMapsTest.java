// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.testing.Canaries;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which JSON the request's maps accept, and that a refusal never quotes the input. */
class JsonMapsTest {
  private static final String CANARY = Canaries.SECRET;

  /** A JSON value nested {@code depth} levels deep (arrays inside one another). */
  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @Test
  void aStringMap_keepsOrder_andDecodesEscapes() {
    assertThat(JsonMaps.stringMap("{\"b\":\"\\u00e9\\n\",\"a\":\"<\\/>\"}", "attributes"))
        .containsExactly(Map.entry("b", "\u00e9\n"), Map.entry("a", "</>"));
    assertThat(JsonMaps.stringMap(" null ", "attributes")).isEmpty();
    assertThat(JsonMaps.stringMap("", "attributes")).isEmpty();
    assertThat(JsonMaps.stringMap("{}", "attributes")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"k\":\"" + CANARY + "\",\"k\":\"" + CANARY + "\"}",
        "{\"k\":\"" + CANARY + "\"} {}",
        "{\"k\":\"" + CANARY + "\"",
        "{\"k\":\"" + CANARY + "\",}",
        "{'k':'" + CANARY + "'}",
        "[\"" + CANARY + "\"]",
        "\"" + CANARY + "\"",
        "{\"k\":\"" + CANARY + "\" /* c */}",
        "{\"k\":\"" + CANARY + "\u0001\"}",
      })
  void malformedStringMaps_areRefused_withoutQuotingThem(String json) {
    assertThatThrownBy(() -> JsonMaps.stringMap(json, "attributes"))
        .isInstanceOf(ProviderException.class)
        .hasMessage("attributes is not a JSON object of strings");
  }

  @Test
  void aValueThatIsNotAString_isRefusedNamingItsKey() {
    assertThatThrownBy(
            () -> JsonMaps.stringMap("{\"a\":\"x\",\"k\":[\"" + CANARY + "\"]}", "secrets"))
        .hasMessage("secrets must map every key to a string; the value of \"k\" is not a string")
        .message()
        .doesNotContain(CANARY);
  }

  @Test
  void tokenEntries_skipOtherValues_upToAThousandLevels() {
    String fields = "\"token\":\"t\",\"expirationTimestamp\":\"e\",\"n\":1,\"x\":";
    assertThat(JsonMaps.objectOfStringMaps("{\"a\":{" + fields + nested(998) + "}}", "tokens"))
        .containsExactly(Map.entry("a", Map.of("token", "t", "expirationTimestamp", "e")));
    assertThatThrownBy(
            () -> JsonMaps.objectOfStringMaps("{\"a\":{" + fields + nested(999) + "}}", "tokens"))
        .isInstanceOf(ProviderException.class)
        .hasMessageStartingWith("tokens is not a JSON object");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":{\"token\":\"" + CANARY + "\"}} x",
        "{\"a\":{\"token\":\"" + CANARY + "\",\"token\":\"" + CANARY + "\"}}",
        "{\"a\":{\"token\":\"" + CANARY + "\"},\"a\":{}}",
        "{\"a\":\"" + CANARY + "\"}",
        "{\"a\":{\"token\":\"" + CANARY + "\"}",
      })
  void malformedTokenEntries_areRefused_withoutQuotingThem(String json) {
    assertThatThrownBy(() -> JsonMaps.objectOfStringMaps(json, "tokens"))
        .isInstanceOf(ProviderException.class)
        .hasMessageStartingWith("tokens is not a JSON object")
        .message()
        .doesNotContain(CANARY);
  }
}
