// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import io.secretsstore.provider.emulators.EmulatorError;
import io.secretsstore.provider.emulators.ServiceAccountJwts;
import java.time.Duration;
import java.util.List;

/**
 * The emulator's stand-in for the Kubernetes API server's token signer: mints service-account JWTs
 * and verifies them at login, as Vault's TokenReview would, with Vault's messages. Error messages
 * never quote the token.
 */
final class ServiceAccountTokens {
  /** The issuer a projected token of an in-cluster API server carries. */
  static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

  /** What a verified token says about its holder. */
  record Claims(String namespace, String serviceAccount, String uid, List<String> audiences) {}

  private final ServiceAccountJwts jwts = new ServiceAccountJwts(ISSUER);

  String mint(String namespace, String serviceAccount, String audience, Duration ttl) {
    return jwts.mint(namespace, serviceAccount, audience, ttl);
  }

  /** The claims of a token this emulator signed that has not expired; 403 otherwise. */
  Claims verify(String jwt) {
    ServiceAccountJwts.Claims claims;
    try {
      claims = jwts.verify(jwt);
    } catch (ServiceAccountJwts.InvalidToken e) {
      throw denied(
          switch (e.reason()) {
            case MALFORMED -> "error validating token: malformed jwt";
            case UNSUPPORTED_ALGORITHM -> "error validating token: unsupported signing algorithm";
            case BAD_SIGNATURE -> "error validating token: failed to verify signature";
            case EXPIRED -> "error validating token: token is expired";
          });
    }
    if (claims.namespace().isEmpty() || claims.serviceAccount().isEmpty()) {
      throw denied("error validating token: not a service account token");
    }
    return new Claims(
        claims.namespace(), claims.serviceAccount(), claims.uid(), claims.audiences());
  }

  private static EmulatorError denied(String message) {
    return new EmulatorError(403, message);
  }
}
