// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import io.secretsstore.provider.json.JsonLongs;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What can be checked of a pod's token without the API server's keys, before a credential or an
 * object cached for its identity is used: that it is a JWT (three base64url parts, JSON header with
 * a signing algorithm, JSON claims), unexpired by its own {@code exp}, issued to the pod's service
 * account ({@code sub}), for the audience it was filed under ({@code aud}), and, when it names a
 * pod ({@code kubernetes.io.pod}), for this pod. The signature and the issuer cannot be checked
 * here, nor {@code nbf} (a node's clock may lag the API server's); a token that passes is forged
 * only by someone who can already reach the provider's socket, which only the driver can
 * (docs/security.md).
 */
final class LocalTokenChecks {
  private static final String PREFIX = "system:serviceaccount:";

  private LocalTokenChecks() {}

  /**
   * Checks the tokens the backend took while planning the mount (the ones its cached credentials
   * stand for); tokens for other audiences are not its business.
   *
   * @throws ProviderException UNAUTHENTICATED naming the audience and what failed, never the token
   */
  static void require(ServiceAccountTokens tokens, PodIdentity pod, Instant now) {
    for (Map.Entry<String, String> token : tokens.requiredTokens().entrySet()) {
      Optional<String> problem = problem(token.getKey(), token.getValue(), pod, now);
      problem.ifPresent(
          what -> {
            throw ProviderException.unauthenticated(
                "the service account token for audience \""
                    + token.getKey()
                    + "\" in "
                    + ServiceAccountTokens.KEY
                    + " "
                    + what);
          });
    }
  }

  private static Optional<String> problem(
      String audience, String token, PodIdentity pod, Instant now) {
    Optional<JwtParts> parsed = JwtParts.of(token);
    if (parsed.isEmpty()) {
      return Optional.of("is not a JWT (three base64url parts with a JSON header and claims)");
    }
    JwtParts jwt = parsed.get();
    JsonNode alg = jwt.header().get("alg");
    if (alg == null
        || !alg.isString()
        || alg.asString().isEmpty()
        || alg.asString().equalsIgnoreCase("none")) {
      return Optional.of("has no signing algorithm in its header");
    }
    JsonNode exp = jwt.claims().get("exp");
    if (exp == null || !inLongRange(exp)) {
      return Optional.of("has no numeric exp claim");
    }
    long seconds = JsonLongs.asLong(exp);
    if (!Instant.ofEpochSecond(seconds).isAfter(now)) {
      return Optional.of("has expired (exp claim)");
    }
    String expected = PREFIX + pod.namespace() + ":" + pod.serviceAccountName();
    if (!jwt.text("sub").map(expected::equals).orElse(false)) {
      return Optional.of(
          "was not issued to the service account that "
              + PodIdentity.NAMESPACE
              + " and "
              + PodIdentity.SERVICE_ACCOUNT
              + " name (sub claim)");
    }
    if (!audience.isEmpty() && !audienceMatches(jwt.claims().get("aud"), audience)) {
      return Optional.of("was issued for another audience (aud claim)");
    }
    JsonNode kubePod = jwt.claims().path("kubernetes.io").path("pod");
    if (mismatch(kubePod.get("name"), pod.name()) || mismatch(kubePod.get("uid"), pod.uid())) {
      return Optional.of(
          "was issued for another pod than "
              + PodIdentity.NAME
              + " and "
              + PodIdentity.UID
              + " name");
    }
    return Optional.empty();
  }

  /**
   * An absent {@code aud} passes (the audience key is kubelet's); a present one must name the
   * audience.
   */
  private static boolean audienceMatches(JsonNode aud, String audience) {
    if (aud == null) {
      return true;
    }
    if (aud.isString()) {
      return aud.asString().equals(audience);
    }
    if (aud.isArray()) {
      for (JsonNode one : aud) {
        if (one.isString() && one.asString().equals(audience)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean mismatch(JsonNode claim, String actual) {
    return claim != null && !(claim.isString() && claim.asString().equals(actual));
  }

  /**
   * A number within a long's range, fraction or not: what Jackson 2's {@code canConvertToLong}
   * allowed (Jackson 3's refuses a fraction), so the same claims pass as before.
   */
  private static boolean inLongRange(JsonNode exp) {
    if (exp.isIntegralNumber()) {
      return exp.canConvertToLong();
    }
    return exp.isNumber()
        && exp.doubleValue() >= Long.MIN_VALUE
        && exp.doubleValue() <= Long.MAX_VALUE;
  }
}
