// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonTextsTest {
  private final JsonNode json =
      JsonMappers.READER.readTree(
          "{\"s\":\"text\",\"n\":12.5,\"b\":true,\"z\":null,\"o\":{\"a\":1},\"l\":[1]}");

  @Test
  void readsAsJackson2sAsTextDid() {
    assertThat(JsonTexts.asText(json.path("s"))).isEqualTo("text");
    assertThat(JsonTexts.asText(json.path("n"))).isEqualTo("12.5");
    assertThat(JsonTexts.asText(json.path("b"))).isEqualTo("true");
    assertThat(JsonTexts.asText(json.path("z"))).isEqualTo("null");
    assertThat(JsonTexts.asText(json.path("o"))).isEmpty();
    assertThat(JsonTexts.asText(json.path("l"))).isEmpty();
    assertThat(JsonTexts.asText(json.path("absent"))).isEmpty();
  }

  @Test
  void aCallerMayNameWhatJsonNullReadsAs() {
    assertThat(JsonTexts.asText(json.path("z"), "")).isEmpty();
    assertThat(JsonTexts.asText(json.path("s"), "")).isEqualTo("text");
  }
}
