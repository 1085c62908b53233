// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Refuses a request whose pod token was issued to another service account than the attributes name
 * (security checklist row 15). The claim is read without verifying the token, which is safe because
 * it can only refuse: authorization stays with the backend, which verifies the token. It matters
 * because caches and credentials are keyed by the attributes' identity, so without this a token of
 * one service account could be answered from another's cache entry.
 */
final class TokenSubjects {
  private static final String PREFIX = "system:serviceaccount:";

  private TokenSubjects() {}

  /**
   * @throws ProviderException UNAUTHENTICATED naming the audience, when a token's {@code sub} is a
   *     service account other than the pod's; tokens without a readable one pass to the backend
   */
  static void requireIssuedTo(ServiceAccountTokens tokens, PodIdentity pod) {
    String expected = PREFIX + pod.namespace() + ":" + pod.serviceAccountName();
    for (Map.Entry<String, String> token : tokens.tokensByAudience().entrySet()) {
      subject(token.getValue())
          .filter(sub -> sub.startsWith(PREFIX) && !sub.equals(expected))
          .ifPresent(
              sub -> {
                throw ProviderException.unauthenticated(
                    "the service account token for audience \""
                        + token.getKey()
                        + "\" in "
                        + ServiceAccountTokens.KEY
                        + " was issued to another service account than "
                        + PodIdentity.NAMESPACE
                        + " and "
                        + PodIdentity.SERVICE_ACCOUNT
                        + " name");
              });
    }
  }

  private static Optional<String> subject(String jwt) {
    return JwtParts.looseClaims(jwt)
        .map(claims -> claims.get("sub"))
        .filter(JsonNode::isString)
        .map(JsonNode::asString);
  }
}
