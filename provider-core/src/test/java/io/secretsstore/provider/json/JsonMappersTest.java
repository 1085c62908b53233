// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.json;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.testing.Canaries;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;

/** The readers never put the input into an error's location. */
class JsonMappersTest {
  private static final String MALFORMED = "{\"token\":\"" + Canaries.SECRET + "\", x}";

  @Test
  void theMapperLeavesTheSourceOutOfItsErrors() {
    assertThatThrownBy(() -> JsonMappers.READER.readTree(MALFORMED))
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("REDACTED")
        .message()
        .doesNotContain(Canaries.SECRET);
  }

  @Test
  void theParsersLeaveTheSourceOutOfTheirErrors() {
    assertThatThrownBy(
            () -> {
              try (JsonParser parser =
                  JsonMappers.FACTORY.createParser(ObjectReadContext.empty(), MALFORMED)) {
                while (parser.nextToken() != null) {
                  parser.skipChildren();
                }
              }
            })
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("REDACTED")
        .message()
        .doesNotContain(Canaries.SECRET);
  }
}
