// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which {@code exp} claims the driver emulator reads from a token file. */
class JwtExpiryTest {
  private static String jwt(String claims) {
    return "eyJhbGciOiJSUzI1NiJ9."
        + Base64.getUrlEncoder().encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "{\"exp\":4102444800}|4102444800",
        "{\"exp\":4102444800.9}|4102444800",
        "{\"exp\":4102444800} trailing|4102444800",
        "{\"sub\":\"a\",\"exp\":1,\"sub\":\"b\"}|1",
        "{\"exp\":18446744073709551716}|100",
        "{\"exp\":253402300799}|253402300799",
        "{\"exp\":253402300800}|none",
        "{\"exp\":0}|none",
        "{\"exp\":-5}|none",
        "{\"exp\":1e30}|none",
        "{\"exp\":\"4102444800\"}|none",
        "{\"exp\":true}|none",
        "{\"exp\":null}|none",
        "{}|none",
        "[4102444800]|none",
        "4102444800|none",
        "not json|none",
        "|none",
      })
  void exp_isReadAsBefore(String claims, String expected) {
    Optional<Instant> expiry = JwtExpiry.of(jwt(claims == null ? "" : claims));

    assertThat(expiry)
        .isEqualTo(
            Optional.ofNullable(expected).map(s -> Instant.ofEpochSecond(Long.parseLong(s))));
  }
}
