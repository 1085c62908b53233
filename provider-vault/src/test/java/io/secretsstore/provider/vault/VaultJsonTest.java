// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link VaultJson} accepts and refuses, pinned across the move to Jackson 3 (issue 23): its
 * defaults differ from Jackson 2's (nesting depth, string length), so the limits set here must be
 * the ones that apply, and a document with anything after its value stays refused.
 */
class VaultJsonTest {
  private static Object parsed(String json) {
    return VaultJson.parse(json.getBytes(StandardCharsets.UTF_8)).orElse(null);
  }

  @Test
  void numbersKeepTheirLiteralAndARepeatedKeyItsLastValue() {
    assertThat(parsed("{\"n\":1.50e3,\"k\":1,\"k\":[true,null,\"s\"]}"))
        .isEqualTo(
            Map.of(
                "n",
                new GoJsonEncoder.RawNumber("1.50e3"),
                "k",
                Arrays.asList(Boolean.TRUE, null, "s")));
    assertThat(VaultJson.parse("null".getBytes(StandardCharsets.UTF_8))).contains(VaultJson.NULL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "{} {}", "{\"a\":1}x", "{\"a\":1,}", "{'a':1}", "{a:1}", "{\"a\":01}"})
  void notOneJsonValueIsRefused(String json) {
    assertThat(parsed(json)).isNull();
  }

  @Test
  void nestingStopsAtTwoHundred() {
    assertThat(parsed("[".repeat(200) + "]".repeat(200))).isInstanceOf(List.class);
    assertThat(parsed("[".repeat(201) + "]".repeat(201))).isNull();
  }

  @Test
  void stringsStopAtEightMebibytes() {
    int limit = 8 << 20;
    assertThat(parsed("\"" + "x".repeat(limit) + "\"")).isInstanceOf(String.class);
    assertThat(parsed("\"" + "x".repeat(limit + 1) + "\"")).isNull();
  }
}
