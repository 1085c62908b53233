// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.testing.Canaries;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The secret parser accepts what it accepted on Jackson 2 (content after the value, nesting to
 * 1000) and keeps Jackson 2's limits; its failures never quote the secret.
 */
class AwsJsonTest {
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "\"d\"" + "]".repeat(depth);
  }

  @Test
  void contentAfterTheValue_isIgnoredAsBefore() {
    JsonNode secret = JmesExtractor.parse(utf8("{\"a\":\"b\"} not json {"), "t");
    assertThat(new String(JmesExtractor.extract(secret, "a", "t"), StandardCharsets.UTF_8))
        .isEqualTo("b");
  }

  @Test
  void nestingTo1000_parsesAndSerialises_1001IsRefused() {
    JsonNode deepest = JmesExtractor.parse(utf8(nested(1000)), "t");
    assertThat(
            new String(JmesExtractor.extract(deepest, "to_string(@)", "t"), StandardCharsets.UTF_8))
        .isEqualTo(nested(1000));
    assertThatThrownBy(() -> JmesExtractor.parse(utf8(nested(1001)), "t"))
        .isInstanceOf(ProviderException.class)
        .hasMessage("t: the secret is not valid JSON, so jmesPath cannot be applied");
  }

  @Test
  void jackson2Limits_onNamesNumbersAndStrings() {
    assertThat(JsonMappers.READER.readTree("{\"" + "k".repeat(50_000) + "\":1}").size()).isOne();
    assertThatThrownBy(() -> JsonMappers.READER.readTree("{\"" + "k".repeat(50_001) + "\":1}"))
        .isInstanceOf(JacksonException.class);
    assertThat(JsonMappers.READER.readTree("1".repeat(1000)).isBigInteger()).isTrue();
    assertThatThrownBy(() -> JsonMappers.READER.readTree("1".repeat(1001)))
        .isInstanceOf(JacksonException.class);
    assertThat(JsonMappers.READER.tokenStreamFactory().streamReadConstraints().getMaxStringLength())
        .as("Jackson 2's 20 MB rather than Jackson 3's 100 MB")
        .isEqualTo(20_000_000);
  }

  @Test
  void parseFailures_quoteNeitherTheSecretNorTheParser() {
    for (String broken :
        new String[] {
          "{\"password\":\"" + Canaries.SECRET + "\"",
          "{\"password\":" + Canaries.SECRET + "}",
          "{\"" + Canaries.SECRET + "\" 1}",
          "[\"" + Canaries.SECRET + "\\q\"]",
        }) {
      assertThatThrownBy(() -> JmesExtractor.parse(utf8(broken), "objects[0]"))
          .isInstanceOfSatisfying(
              ProviderException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
                assertThat(e)
                    .hasMessage(
                        "objects[0]: the secret is not valid JSON, so jmesPath cannot be applied")
                    .hasNoCause();
              });
    }
  }

  @Test
  void aLiteralOverTheLimits_inTheExpression_isNotQuotedBack() {
    String tooLong = "`[\"" + Canaries.SECRET + "\", " + "1".repeat(1001) + "]`";
    assertThatThrownBy(() -> JmesExtractor.compile(tooLong))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a JSON literal in the expression is not valid JSON")
        .hasNoCause();
  }
}
