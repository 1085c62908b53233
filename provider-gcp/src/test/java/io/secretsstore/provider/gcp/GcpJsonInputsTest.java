// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JSON the GCP backend reads (a key.json, a credentials file, a secret's JSON for {@code
 * extractJSONKey}, token answers) is accepted and refused as it was under Jackson 2 (issue 23),
 * where Jackson 3 reads differently: containers as text, null as text, content after the value,
 * nesting past 500 levels (numbers in strings: core's JsonLongsTest). Refusals never echo the
 * input.
 */
class GcpJsonInputsTest {
  private static final String CANARY = "canary-7f3e-not-for-messages";
  private static final String GOOGLE = "https://oauth2.googleapis.com/token";
  private static final String UNUSABLE = "unable to generate credentials from key.json";
  private static final String NOT_A_KEY = UNUSABLE + ": it must be a service_account key file";
  private static final String FOREIGN_URI = UNUSABLE + ": token_uri must be " + GOOGLE;

  private static ProviderException keyRefusal(String keyJson) {
    try {
      ProviderCredentials.serviceAccountKey(keyJson, GOOGLE, TrustedCas.load(null));
    } catch (ProviderException e) {
      return e;
    }
    throw new AssertionError("the key was accepted");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"type\":{}}|" + NOT_A_KEY,
        "{\"type\":null}|" + NOT_A_KEY,
        "{'type':'service_account','private_key':'" + CANARY + "'}|" + NOT_A_KEY,
        "{\"type\":\"service_account\",\"token_uri\":{}}|" + FOREIGN_URI,
        "{\"type\":\"service_account\",\"token_uri\":[\"" + GOOGLE + "\"]}|" + FOREIGN_URI,
        "{\"type\":\"service_account\",\"token_uri\":5}|" + FOREIGN_URI,
        // Past both checks (a null token_uri is Google's, content after the key is ignored):
        // Google's library refuses a key without its fields, or with a null it wants as text.
        "{\"type\":\"service_account\",\"token_uri\":null}|" + UNUSABLE,
        "{\"type\":\"service_account\",\"token_uri\":\""
            + GOOGLE
            + "\"} "
            + CANARY
            + "|"
            + UNUSABLE,
      })
  void keyJson_isCheckedAsUnderJackson2_withoutEchoingIt(String keyJson, String message) {
    ProviderException refused = keyRefusal(keyJson);
    assertThat(refused.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
    assertThat(refused.getMessage()).isEqualTo(message).doesNotContain(CANARY);
  }

  @Test
  void credentialsFile_audienceIsReadAsBefore(@TempDir Path dir) throws Exception {
    assertThat(identity(dir, "{\"type\":\"external_account\",\"audience\":\"//iam/x\"} tail"))
        .isEqualTo(new WorkloadIdentityPool("", "//iam/x"));
    assertThat(identity(dir, "{\"type\":\"external_account\",\"audience\":null}"))
        .as("Jackson 2 read a null audience as the text null")
        .isEqualTo(new WorkloadIdentityPool("", "null"));
    assertThat(identity(dir, "{\"type\":\"external_account\",\"audience\":{\"a\":1}}")).isNull();
    assertThat(identity(dir, "{\"type\":{},\"audience\":\"//iam/x\"}")).isNull();
    assertThat(identity(dir, "[{\"type\":\"external_account\"}]")).isNull();
  }

  @Test
  void credentialsFile_notJson_isNamedByItsVariable_notQuoted(@TempDir Path dir) {
    assertThatThrownBy(() -> identity(dir, "{\"audience\":\"" + CANARY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GOOGLE_APPLICATION_CREDENTIALS cannot be read as a credentials file");
  }

  private static WorkloadIdentityPool identity(Path dir, String content) throws Exception {
    Path file = Files.writeString(dir.resolve("credentials.json"), content);
    return new GcpOptions()
        .settings(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString()))
        .identity();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"k\":\"v\"}|v",
        "{\"k\":\"first\",\"k\":\"v\"}|v",
        "{\"k\":\"v\"} trailing|v",
      })
  void extractJsonKey_readsTheLastStringValue(String json, String value) {
    assertThat(KeyExtractor.json(json.getBytes(StandardCharsets.UTF_8), "k"))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"k\":5}|unsupported value type for key 'k'",
        "{\"k\":null}|unsupported value type for key 'k'",
        "{\"k\":{\"" + CANARY + "\":1}}|unsupported value type for key 'k'",
        "{\"j\":\"" + CANARY + "\"}|key 'k' not found in JSON",
        "[\"" + CANARY + "\"]|failed to unmarshal JSON. Invalid JSON format for key extraction",
        "{\"k\":\"" + CANARY + "|failed to unmarshal JSON. Invalid JSON format for key extraction",
      })
  void extractJsonKey_refusals_nameTheKey_neverTheContent(String json, String message) {
    assertThatThrownBy(() -> KeyExtractor.json(json.getBytes(StandardCharsets.UTF_8), "k"))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessage(message);
  }

  @Test
  void extractJsonKey_nestingAsDeepAsJackson2Allowed_isRead() {
    // Jackson 3 alone stops at 500 levels; Jackson 2 read 1000.
    String deep = "{\"k\":\"v\",\"d\":" + "[".repeat(999) + "]".repeat(999) + "}";
    assertThat(KeyExtractor.json(deep.getBytes(StandardCharsets.UTF_8), "k"))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("v");
    String deeper = "{\"k\":\"v\",\"d\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
    assertThatThrownBy(() -> KeyExtractor.json(deeper.getBytes(StandardCharsets.UTF_8), "k"))
        .hasMessage("failed to unmarshal JSON. Invalid JSON format for key extraction");
  }
}
