// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link JsonLongs} reads what Jackson 2.23's {@code asLong(0)} read: each expectation below is
 * what Jackson 2.23 returned for the same JSON value (compared value by value before the move).
 */
class JsonLongsTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "3599|3599",
        "-5|-5",
        "3599.9|3599",
        "1e3|1000",
        "1e400|9223372036854775807",
        "99999999999999999999|7766279631452241919",
        "\"3599\"|3599",
        "\" 3599\"|3599",
        "\"3599.9\"|3599",
        "\"1e3\"|1000",
        "\"17e8\"|1700000000",
        "\"soon\"|0",
        "\"0x10\"|0",
        "\"\"|0",
        "true|1",
        "false|0",
        "null|0",
        "{}|0",
        "[1]|0",
      })
  void readsAsJackson2ReadIt(String value, long expected) {
    assertThat(JsonLongs.asLong(JsonMappers.READER.readTree("{\"v\":" + value + "}").path("v")))
        .isEqualTo(expected);
  }

  @Test
  void anAbsentValueIsZero() {
    assertThat(JsonLongs.asLong(JsonMappers.READER.readTree("{}").path("v"))).isZero();
  }
}
