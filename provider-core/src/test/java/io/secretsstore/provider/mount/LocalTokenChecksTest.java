// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.testing.Canaries;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalTokenChecksTest {
  private static final PodIdentity POD = new PodIdentity("team-a", "app-7d4f9", "0b7c3e52", "app");
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final String HEADER = "{\"alg\":\"RS256\",\"kid\":\"k\"}";
  private static final String SUB = "\"sub\":\"system:serviceaccount:team-a:app\"";
  private static final String EXP = "\"exp\":" + NOW.plusSeconds(600).getEpochSecond();

  private static String jwt(String header, String claims) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return base64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }

  /** The tokens attribute with one token, which the backend took (as its plan would). */
  private static ServiceAccountTokens tokens(String audience, String token) {
    ServiceAccountTokens tokens =
        ServiceAccountTokens.parse(
            "{\""
                + audience
                + "\":{\"token\":\""
                + token
                + "\",\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"}}");
    tokens.require(audience, NOW);
    return tokens;
  }

  private static void assertRefused(String token, String what) {
    assertThatThrownBy(() -> LocalTokenChecks.require(tokens("vault", token), POD, NOW))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.kind())
                    .isEqualTo(ErrorKind.UNAUTHENTICATED))
        .hasMessageContaining("audience \"vault\" in " + ServiceAccountTokens.KEY)
        .hasMessageContaining(what)
        .message()
        .doesNotContain(token);
  }

  @Test
  void aWellFormedTokenOfThePodsServiceAccount_passes() {
    assertThatCode(
            () ->
                LocalTokenChecks.require(
                    tokens(
                        "vault",
                        jwt(
                            HEADER,
                            "{"
                                + SUB
                                + ","
                                + EXP
                                + ",\"aud\":[\"vault\"],"
                                + "\"kubernetes.io\":{\"namespace\":\"team-a\",\"pod\":{\"name\":\"app-7d4f9\",\"uid\":\"0b7c3e52\"}}}")),
                    POD,
                    NOW))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> LocalTokenChecks.require(tokens("test", Canaries.TOKEN), POD, Instant.now()))
        .as("the canary token")
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not-a-jwt|not a JWT",
        "a.b|not a JWT",
        "a.b.c.d|not a JWT",
        "eyJ.eyJ.|not a JWT",
        "e30.e30.c2ln|no signing algorithm",
      })
  void garbage_isRefused(String token, String what) {
    assertRefused(token, what);
  }

  @Test
  void eachClaimThatDisagrees_isRefusedNamingIt() {
    assertRefused(jwt("{\"alg\":\"none\"}", "{" + SUB + "," + EXP + "}"), "no signing algorithm");
    assertRefused(jwt(HEADER, "{" + SUB + "}"), "no numeric exp");
    assertRefused(jwt(HEADER, "{" + SUB + ",\"exp\":" + NOW.getEpochSecond() + "}"), "has expired");
    assertRefused(jwt(HEADER, "{" + EXP + "}"), "sub claim");
    assertRefused(
        jwt(HEADER, "{\"sub\":\"system:serviceaccount:team-a:other\"," + EXP + "}"), "sub claim");
    assertRefused(
        jwt(HEADER, "{" + SUB + "," + EXP + ",\"aud\":\"sts.amazonaws.com\"}"), "another audience");
    assertRefused(
        jwt(
            HEADER,
            "{" + SUB + "," + EXP + ",\"kubernetes.io\":{\"pod\":{\"name\":\"other-pod\"}}}"),
        "another pod");
    assertRefused(
        jwt(HEADER, "{" + SUB + "," + EXP + ",\"kubernetes.io\":{\"pod\":{\"uid\":\"ffff\"}}}"),
        "another pod");
  }

  @Test
  void theTokensTheBackendTook_areChecked_andOtherAudiencesAreNot() {
    String good = jwt(HEADER, "{" + SUB + "," + EXP + "}");
    ServiceAccountTokens two =
        ServiceAccountTokens.parse(
            new tools.jackson.databind.ObjectMapper()
                .valueToTree(
                    Map.of(
                        "vault",
                            Map.of("token", good, "expirationTimestamp", "2099-01-01T00:00:00Z"),
                        "other",
                            Map.of(
                                "token", "garbage", "expirationTimestamp", "2099-01-01T00:00:00Z")))
                .toString());
    assertThatCode(() -> LocalTokenChecks.require(two, POD, NOW))
        .as("none taken, none checked")
        .doesNotThrowAnyException();
    two.require("vault", NOW);
    assertThatCode(() -> LocalTokenChecks.require(two, POD, NOW)).doesNotThrowAnyException();
    two.require("other", NOW);
    assertThatThrownBy(() -> LocalTokenChecks.require(two, POD, NOW))
        .hasMessageContaining("\"other\"");
  }

  private static void assertPasses(String token) {
    assertThatCode(() -> LocalTokenChecks.require(tokens("vault", token), POD, NOW))
        .doesNotThrowAnyException();
  }

  @Test
  void claimsOfOtherJsonTypes_areReadAsBefore() {
    long future = NOW.plusSeconds(600).getEpochSecond();
    assertPasses(jwt(HEADER, "{" + SUB + ",\"exp\":" + future + ".5}"));
    assertPasses(jwt(HEADER, "{" + SUB + ",\"exp\":" + future + "} trailing"));
    assertPasses(jwt(HEADER + " {}", "{" + SUB + "," + EXP + "}"));
    assertPasses(jwt(HEADER, "{\"sub\":\"x\"," + SUB + "," + EXP + "}"));
    assertPasses(jwt(HEADER, "{" + SUB + "," + EXP + ",\"kubernetes.io\":\"text\"}"));
    assertPasses(jwt(HEADER, "{" + SUB + "," + EXP + ",\"kubernetes.io\":{\"pod\":[1]}}"));
    assertRefused(jwt(HEADER, "{" + SUB + ",\"exp\":1e30}"), "no numeric exp");
    assertRefused(jwt(HEADER, "{" + SUB + ",\"exp\":18446744073709551716}"), "no numeric exp");
    assertRefused(jwt(HEADER, "{" + SUB + ",\"exp\":\"" + future + "\"}"), "no numeric exp");
    assertRefused(jwt(HEADER, "{" + SUB + ",\"exp\":true}"), "no numeric exp");
    assertRefused(jwt("{\"alg\":7}", "{" + SUB + "," + EXP + "}"), "no signing algorithm");
    assertRefused(jwt("{\"alg\":\"\"}", "{" + SUB + "," + EXP + "}"), "no signing algorithm");
    assertRefused(jwt(HEADER, "{\"sub\":null," + EXP + "}"), "sub claim");
    assertRefused(jwt(HEADER, "{" + SUB + "," + EXP + ",\"aud\":[7,null,{}]}"), "another audience");
    assertRefused(jwt(HEADER, "{" + SUB + "," + EXP + ",\"aud\":7}"), "another audience");
    assertRefused(
        jwt(HEADER, "{" + SUB + "," + EXP + ",\"kubernetes.io\":{\"pod\":{\"name\":null}}}"),
        "another pod");
    assertRefused(jwt(HEADER, "[" + SUB + "]"), "not a JWT");
    assertRefused(jwt("{\"alg\":\"RS256\"", "{" + SUB + "," + EXP + "}"), "not a JWT");
  }
}
