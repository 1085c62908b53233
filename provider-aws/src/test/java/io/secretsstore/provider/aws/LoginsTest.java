// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.testing.Canaries;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Reading the EKS Pod Identity agent's answer: the same answers pass as before, none is quoted. */
class LoginsTest {
  private static Expiring<AwsSessionCredentials> read(String answer) {
    return Logins.agentCredentials(answer.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCredentialsAnswer_withTrailingContent() {
    Expiring<AwsSessionCredentials> credentials =
        read(
            "{\"AccessKeyId\":\"AKIA1\",\"SecretAccessKey\":\"s\",\"Token\":\"t\","
                + "\"Expiration\":\"2030-01-02T03:04:05Z\",\"AccountId\":\"123\"}\n{}");
    assertThat(credentials.value().accessKeyId()).isEqualTo("AKIA1");
    assertThat(credentials.value().secretAccessKey()).isEqualTo("s");
    assertThat(credentials.value().sessionToken()).isEqualTo("t");
    assertThat(credentials.expiresAt()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
  }

  @Test
  void fieldsReadAsJackson2Did_nullAsNull_containersEmpty_numbersAsText() {
    Expiring<AwsSessionCredentials> credentials =
        read(
            "{\"AccessKeyId\":null,\"SecretAccessKey\":{\"a\":1},\"Token\":42,"
                + "\"Expiration\":\"2030-01-02T03:04:05Z\"}");
    assertThat(credentials.value().accessKeyId()).isEqualTo("null");
    assertThat(credentials.value().secretAccessKey()).isEmpty();
    assertThat(credentials.value().sessionToken()).isEqualTo("42");
  }

  @Test
  void notCredentials_unavailable_quotingNothing() {
    for (String answer :
        new String[] {
          "{\"AccessKeyId\":\"" + Canaries.SECRET,
          "{\"AccessKeyId\":\"a\",\"Expiration\":\"" + Canaries.SECRET + "\"}",
          "[\"" + Canaries.SECRET + "\"]",
          "",
        }) {
      assertThatThrownBy(() -> read(answer))
          .isInstanceOfSatisfying(
              ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
          .hasMessage("the EKS Pod Identity agent's answer is not valid credentials JSON")
          .hasNoCause();
    }
  }
}
