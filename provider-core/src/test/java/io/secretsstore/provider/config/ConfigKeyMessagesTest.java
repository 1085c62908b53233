// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.ResilienceSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rejection of the configuration file names the key at fault, never the value. */
class ConfigKeyMessagesTest {
  private static final ConfigDefaults DEFAULTS =
      ConfigDefaults.of(CacheSettings.DEFAULT, ResilienceSettings.DEFAULT);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "endpointConcurency: 4|unknown key \"endpointConcurency\" in the configuration file; known keys:",
        "endpointConcurrency: 0|endpointConcurrency must be between 1 and 10000",
        "endpointConcurrency: many|endpointConcurrency must be a whole number",
        "circuitOpen: 0s|circuitOpen must be longer than 0s",
        "backendMaxAttempts: [3]|backendMaxAttempts must be a whole number",
        "logLevel: loud|logLevel must be one of",
        "cacheFreshness: 1m|keys rotationPollInterval, rotationPollJitter and cacheFreshness",
        "rotationPollInterval: soon|rotationPollInterval must be a duration",
        "auditLog: relative/path|auditLog must be",
      })
  void aBadKey_isNamed(String yaml, String message) {
    assertThatThrownBy(() -> ReloadableConfig.parse(yaml, DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
