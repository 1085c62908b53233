// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.gcp.GcpEmulator;
import io.secretsstore.provider.testing.Canaries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The GCP backend's cases: Secret Manager secrets {@code
 * projects/emulator-project/secrets/conf-<name>} (version {@code latest}) mounted at their {@code
 * fileName}, read by the canary pod through workload identity impersonating the Google service
 * account {@link #READER}. The other namespace and the intruder are mapped to the same account,
 * which only the canary pod may impersonate, so that IAM, not the provider, refuses them (rows 18
 * and 36). The mappings are flags, so no mount needs the Kubernetes API.
 */
final class GcpCases extends CaseBook {
  private static final String SECRETS = "projects/" + GcpEmulator.PROJECT + "/secrets/conf-";
  private static final String READER =
      "conf-reader@" + GcpEmulator.PROJECT + ".iam.gserviceaccount.com";

  /** Secret Manager's limit on a secret version's payload. */
  private static final int MAX_PAYLOAD = 64 * 1024;

  @Override
  String backend() {
    return "gcp";
  }

  @Override
  CloudEmulator emulator() {
    return new GcpEmulator();
  }

  @Override
  List<String> prepare(
      CloudEmulator emulator, StartedEmulator started, Path work, boolean trustCa) {
    GcpEmulator gcp = (GcpEmulator) emulator;
    gcp.addServiceAccount(READER);
    gcp.allowImpersonation(READER, gcp.workloadMember(NAMESPACE, SERVICE_ACCOUNT));
    gcp.allowImpersonation(READER, gcp.workloadMember(SECOND_TENANT, SERVICE_ACCOUNT));
    gcp.grant(GcpEmulator.serviceAccountMember(READER), SECRETS);
    Map<String, String> settings = started.settings();
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--gcp-secretmanager-endpoint=" + settings.get("GCP_SECRETMANAGER_ENDPOINT"),
                "--gcp-token-exchange-endpoint=" + settings.get("GCP_TOKEN_EXCHANGE_ENDPOINT"),
                "--gcp-iam-credentials-endpoint=" + settings.get("GCP_IAM_CREDENTIALS_ENDPOINT"),
                "--gcp-project=" + GcpEmulator.PROJECT,
                "--gcp-cluster-location=" + GcpEmulator.CLUSTER_LOCATION,
                "--gcp-cluster-name=" + GcpEmulator.CLUSTER_NAME));
    for (String account :
        List.of(
            NAMESPACE + "/" + SERVICE_ACCOUNT,
            OTHER_NAMESPACE + "/" + SERVICE_ACCOUNT,
            NAMESPACE + "/intruder",
            SECOND_TENANT + "/" + SERVICE_ACCOUNT)) {
      flags.add("--gcp-service-account-for=" + account + "=" + READER);
    }
    if (trustCa) {
      flags.add("--gcp-ca-bundle=" + settings.get("GCP_CA_BUNDLE"));
    }
    return flags;
  }

  @Override
  boolean admitsSecondTenant() {
    return true;
  }

  @Override
  void put(CloudEmulator emulator, String name, String value) {
    ((GcpEmulator) emulator).addVersion(SECRETS + name, value);
  }

  @Override
  String audience() {
    return GcpEmulator.POOL;
  }

  @Override
  String token(CloudEmulator emulator, String namespace, String serviceAccount) {
    return ((GcpEmulator) emulator)
        .mintServiceAccountToken(namespace, serviceAccount, GcpEmulator.POOL, Duration.ofHours(1));
  }

  @Override
  Map<String, String> parameters() {
    return Map.of();
  }

  @Override
  String objectsKey() {
    return "secrets";
  }

  @Override
  String object(String name, String file, String mode) {
    // Upstream has no default file name: every entry names one.
    return "- resourceName: "
        + quoted(resource(name))
        + "\n  fileName: "
        + (file == null ? quoted(name) : file)
        + (mode == null ? "" : "\n  mode: " + mode);
  }

  @Override
  String readOperation() {
    return "gcp.secretmanager.AccessSecretVersion";
  }

  @Override
  String resource(String name) {
    return SECRETS + name + "/versions/latest";
  }

  @Override
  List<String> fallbackOperations() {
    // A key.json from the nodePublishSecretRef (every request carries one) would be exchanged here.
    return List.of("gcp.oauth.token");
  }

  @Override
  String loginOperation() {
    return "gcp.sts.token";
  }

  @Override
  Map<String, String> operatorOnlyParameters() {
    // The provider's own credentials, for every pod that asks (no namespace isolation).
    return Map.of("auth", "provider-adc");
  }

  @Override
  int largestSecret() {
    return MAX_PAYLOAD;
  }

  @Override
  String jsonKeyOfNonJson(CloudEmulator emulator) {
    put(emulator, "plain", Canaries.SECRET + " is not json");
    return "- resourceName: "
        + quoted(resource("plain"))
        + "\n  fileName: user\n  extractJSONKey: username";
  }
}
