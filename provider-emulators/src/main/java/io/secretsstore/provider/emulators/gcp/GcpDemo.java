// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The {@code gcp} backend's demo: a global JSON secret {@code demo-db} and a regional secret {@code
 * demo-api-key} in us-central1, readable by the Google service account {@code demo-app}, which the
 * Kubernetes service account {@code demo/app} impersonates through workload identity.
 */
final class GcpDemo {
  static final String NAMESPACE = "demo";
  static final String SERVICE_ACCOUNT = "app";
  static final String GOOGLE_SERVICE_ACCOUNT =
      "demo-app@" + GcpEmulator.PROJECT + ".iam.gserviceaccount.com";

  static final String SECRET_PROVIDER_CLASS =
      """
      apiVersion: secrets-store.csi.x-k8s.io/v1
      kind: SecretProviderClass
      metadata:
        name: app-secrets
        namespace: demo
      spec:
        provider: gcp
        parameters:
          secrets: |
            - resourceName: projects/emulator-project/secrets/demo-db/versions/latest
              path: db.json
            - resourceName: projects/emulator-project/secrets/demo-db/versions/latest
              path: db-password
              extractJSONKey: password
              mode: 0400
            - resourceName: projects/emulator-project/locations/us-central1/secrets/demo-api-key/versions/1
              fileName: api-key
      """;

  private GcpDemo() {}

  static DemoScenario seed(GcpEmulator gcp, StartedEmulator started) {
    String project = "projects/" + GcpEmulator.PROJECT;
    gcp.addVersion(
        project + "/secrets/demo-db", "{\"username\":\"app\",\"password\":\"" + random(12) + "\"}");
    gcp.addVersion(project + "/locations/us-central1/secrets/demo-api-key", random(16));
    gcp.addServiceAccount(GOOGLE_SERVICE_ACCOUNT);
    gcp.allowImpersonation(GOOGLE_SERVICE_ACCOUNT, gcp.workloadMember(NAMESPACE, SERVICE_ACCOUNT));
    gcp.grant(
        GcpEmulator.serviceAccountMember(GOOGLE_SERVICE_ACCOUNT),
        project + "/secrets/demo-",
        project + "/locations/us-central1/secrets/demo-");
    String token =
        gcp.mintServiceAccountToken(
            NAMESPACE, SERVICE_ACCOUNT, GcpEmulator.POOL, Duration.ofHours(24));
    List<String> flags = new ArrayList<>(serveFlags(started));
    flags.add(
        "--gcp-service-account-for="
            + NAMESPACE
            + "/"
            + SERVICE_ACCOUNT
            + "="
            + GOOGLE_SERVICE_ACCOUNT);
    return new DemoScenario(
        "gcp",
        flags,
        SECRET_PROVIDER_CLASS,
        NAMESPACE,
        SERVICE_ACCOUNT,
        Map.of(GcpEmulator.POOL, token));
  }

  /**
   * The {@code serve} flags that point the backend at this started emulator's endpoints and
   * cluster.
   */
  static List<String> serveFlags(StartedEmulator started) {
    Map<String, String> settings = started.settings();
    return List.of(
        "--gcp-secretmanager-endpoint=" + settings.get("GCP_SECRETMANAGER_ENDPOINT"),
        "--gcp-token-exchange-endpoint=" + settings.get("GCP_TOKEN_EXCHANGE_ENDPOINT"),
        "--gcp-iam-credentials-endpoint=" + settings.get("GCP_IAM_CREDENTIALS_ENDPOINT"),
        "--gcp-ca-bundle=" + settings.get("GCP_CA_BUNDLE"),
        "--gcp-project=" + GcpEmulator.PROJECT,
        "--gcp-cluster-location=" + GcpEmulator.CLUSTER_LOCATION,
        "--gcp-cluster-name=" + GcpEmulator.CLUSTER_NAME);
  }

  static String random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
