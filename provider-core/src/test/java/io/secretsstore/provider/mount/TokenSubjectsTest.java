// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.testing.Attributes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Row 15 of the security checklist: a token of another service account is refused before any
 * backend call.
 */
class TokenSubjectsTest {
  private static String jwt(String subject) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + encoder.encodeToString(("{\"sub\":\"" + subject + "\"}").getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  private static MountRequestContext parse(String token) {
    String tokens =
        "{\"aud\":{\"token\":\""
            + token
            + "\",\"expirationTimestamp\":\""
            + Instant.now().plusSeconds(600)
            + "\"}}";
    return MountRequestContext.parse(
        Attributes.forPod().with(ServiceAccountTokens.KEY, tokens).json(),
        "null",
        "/t",
        "420",
        List.of());
  }

  @Test
  void aTokenOfTheAttributesServiceAccount_isAccepted() {
    assertThat(parse(jwt("system:serviceaccount:team-a:app")).tokens().has("aud")).isTrue();
  }

  @Test
  void aTokenOfAnotherServiceAccountOrNamespace_isUnauthenticated_withoutEchoingIt() {
    for (String subject :
        List.of("system:serviceaccount:team-a:intruder", "system:serviceaccount:team-b:app")) {
      String token = jwt(subject);
      assertThatThrownBy(() -> parse(token))
          .isInstanceOfSatisfying(
              ProviderException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED);
                assertThat(e.getMessage())
                    .contains("\"aud\"")
                    .doesNotContain(token)
                    .doesNotContain(subject);
              });
    }
  }

  @Test
  void aTokenWithoutAReadableServiceAccountSubject_isLeftToTheBackend() {
    for (String token : List.of("opaque", jwt("someone@example.com"), "a.%%%.c")) {
      assertThat(parse(token).tokens().has("aud")).isTrue();
    }
  }
}
