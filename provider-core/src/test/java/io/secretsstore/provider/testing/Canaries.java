// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Values planted in requests so tests can prove they never leak: a pod token, a secret value and a
 * nodePublishSecretRef value. Each is distinctive enough that a match is never a coincidence.
 */
public final class Canaries {
  /**
   * A pod token as kubelet passes it, for the canary pod's service account ({@code team-a/app}): a
   * JWT whose header names a key {@code canaryTOKEN}, with {@code sub} and an {@code exp} in 2100,
   * and a fake signature. It passes the provider's local checks; a backend refuses it.
   */
  public static final String TOKEN =
      "eyJhbGciOiJSUzI1NiIsImtpZCI6ImNhbmFyeVRPS0VOIn0"
          + ".eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6dGVhbS1hOmFwcCIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnY2FuYXJ5";

  /** A secret value held by the backend. */
  public static final String SECRET = "S3CR3T-canary-value";

  /** A value of the nodePublishSecretRef Secret. */
  public static final String NODE_PUBLISH = "NPSR-canary-clientsecret";

  private Canaries() {}

  /** All canaries. */
  public static String[] all() {
    return new String[] {TOKEN, SECRET, NODE_PUBLISH};
  }

  /** The tokens attribute value with the canary token for one audience, valid for an hour. */
  public static String tokensJson(String audience) {
    return "{\""
        + audience
        + "\":{\"token\":\""
        + TOKEN
        + "\",\"expirationTimestamp\":\""
        + Instant.now().plusSeconds(3600)
        + "\"}}";
  }

  /**
   * A token like {@link #TOKEN} for another service account: same header and signature, its own
   * {@code sub}.
   */
  public static String token(String namespace, String serviceAccount) {
    String claims =
        "{\"sub\":\"system:serviceaccount:"
            + namespace
            + ":"
            + serviceAccount
            + "\",\"exp\":4102444800}";
    String[] parts = TOKEN.split("\\.");
    return parts[0]
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + "."
        + parts[2];
  }

  /**
   * The tokens attribute value with {@link #token} of that service account for one audience, valid
   * for an hour.
   */
  public static String tokensJson(String audience, String namespace, String serviceAccount) {
    return "{\""
        + audience
        + "\":{\"token\":\""
        + token(namespace, serviceAccount)
        + "\",\"expirationTimestamp\":\""
        + Instant.now().plusSeconds(3600)
        + "\"}}";
  }

  /** The pod attributes kubelet adds. */
  public static Map<String, String> podAttributes() {
    return Map.of(
        "csi.storage.k8s.io/pod.name", "app-7d4f9",
        "csi.storage.k8s.io/pod.namespace", "team-a",
        "csi.storage.k8s.io/pod.uid", "0b7c3e52-9f0e-4c1a-8d4b-3f2a1e0c9d8b",
        "csi.storage.k8s.io/serviceAccount.name", "app",
        "csi.storage.k8s.io/ephemeral", "true",
        "secretProviderClass", "app-secrets");
  }
}
