// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import java.time.Instant;
import java.util.Map;

/**
 * Values planted in requests so tests can prove they never leak: a pod token, a secret value and
 * a nodePublishSecretRef value. Each is distinctive enough that a match is never a coincidence.
 */
public final class Canaries {
  /** A JWT-shaped pod token. */
  public static final String TOKEN = "eyJcanaryTOKEN.eyJzdWIiOiJjYW5hcnkifQ.c2lnY2FuYXJ5";
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
    return "{\"" + audience + "\":{\"token\":\"" + TOKEN + "\",\"expirationTimestamp\":\""
        + Instant.now().plusSeconds(3600) + "\"}}";
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
