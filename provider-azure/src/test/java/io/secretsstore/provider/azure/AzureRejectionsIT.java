// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static io.secretsstore.provider.azure.AzureTestBed.call;
import static io.secretsstore.provider.azure.AzureTestBed.objects;

import io.secretsstore.provider.emulators.azure.AzureEmulator;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failing mounts over the socket: each ends with the gRPC code of ARCHITECTURE.md and a message
 * that names keys and objects, never a token, client secret or value.
 */
class AzureRejectionsIT {
  private static final String SECRET = objects("objectName: db-password\nobjectType: secret");
  private static AzureTestBed bed;
  private static ProviderFixture provider;
  private static String disabledVersion;
  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void start() throws Exception {
    bed = new AzureTestBed();
    bed.azure.setSecret(AzureTestBed.VAULT, "db-password", Canaries.SECRET);
    disabledVersion = bed.azure.setSecret(AzureTestBed.VAULT, "db-password", "newer");
    bed.azure.setEnabled(AzureTestBed.VAULT, "secret", "db-password", disabledVersion, false);
    provider = bed.provider(bed.settings());
  }

  @AfterAll
  static void stop() throws Exception {
    bed.close();
  }

  @AfterEach
  void scan() {
    logs.assertNoCanary(bed.secrets());
  }

  private static void rejected(Map<String, String> attributes, String secrets, String code, String message) {
    provider.assertRejected(call(attributes, secrets), code, message);
  }

  @Test
  void workloadIdentity_withoutTokens_orWithoutTheExchangeAudience_isUnauthenticated() {
    rejected(bed.attributes(SECRET, "csi.storage.k8s.io/serviceAccount.tokens", null), "null", "UNAUTHENTICATED",
        "failed to parse workload identity tokens, error: service account tokens not found");
    rejected(bed.attributes(SECRET, "csi.storage.k8s.io/serviceAccount.tokens", Canaries.tokensJson("api://other")), "null",
        "UNAUTHENTICATED", "token for audience api://AzureADTokenExchange not found");
  }

  @Test
  void aForgedOrExpiredPodToken_isRefusedByEntraId() {
    rejected(bed.attributes(SECRET, "csi.storage.k8s.io/serviceAccount.tokens", Canaries.tokensJson(AzureEmulator.EXCHANGE_AUDIENCE)),
        "null", "PERMISSION_DENIED", "AADSTS700027");
    String expired = bed.azure.mintServiceAccountToken(AzureTestBed.NAMESPACE, "app", AzureEmulator.EXCHANGE_AUDIENCE, Duration.ZERO);
    rejected(bed.attributes(SECRET, "csi.storage.k8s.io/serviceAccount.tokens",
        AzureTestBed.tokens(Map.of(AzureEmulator.EXCHANGE_AUDIENCE, expired))), "null", "PERMISSION_DENIED", "AADSTS700024");
  }

  @Test
  void servicePrincipal_isOffUnlessTheOperatorAllowsIt() {
    String secrets = AzureTestBed.json(Map.of("clientid", AzureTestBed.CLIENT_ID, "clientsecret", Canaries.NODE_PUBLISH));
    rejected(bed.attributes(SECRET, "clientID", null), secrets, "INVALID_ARGUMENT", "--azure-allow-service-principal");
  }

  @Test
  void nodeIdentities_areOffUnlessTheOperatorEnablesThem() {
    rejected(bed.attributes(SECRET, "usePodIdentity", "true"), "null", "INVALID_ARGUMENT", "--azure-enable-pod-identity");
    rejected(bed.attributes(SECRET, "useVMManagedIdentity", "true", "userAssignedIdentityID", "1234"), "null", "INVALID_ARGUMENT",
        "--azure-enable-managed-identity");
  }

  @Test
  void missingObjects_disabledVersions_andForeignTenants() {
    rejected(bed.attributes(objects("objectName: nope\nobjectType: secret")), "null", "NOT_FOUND", "SecretNotFound");
    rejected(bed.attributes(objects("objectName: nope\nobjectType: key")), "null", "NOT_FOUND", "KeyNotFound");
    rejected(bed.attributes(objects("objectName: db-password\nobjectType: secret\nobjectVersion: " + disabledVersion)), "null",
        "FAILED_PRECONDITION", "SecretDisabled");
    rejected(bed.attributes(SECRET, "tenantId", "tenant-b"), "null", "PERMISSION_DENIED", "another tenant than tenantId");
    rejected(bed.attributes(SECRET, "cloudName", "AzureStackCloud", "cloudEnvFileName", "/etc/passwd"), "null", "INVALID_ARGUMENT",
        "--azure-cloud-env-dir");
  }
}
