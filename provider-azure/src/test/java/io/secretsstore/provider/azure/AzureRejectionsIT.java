// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static io.secretsstore.provider.azure.AzureTestBed.call;
import static io.secretsstore.provider.azure.AzureTestBed.objects;
import static org.assertj.core.api.Assertions.assertThat;

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

  /** A secret whose latest version is enabled, for the mounts that succeed. */
  private static final String ENABLED = objects("objectName: enabled\nobjectType: secret");

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
    bed.azure.setSecret(AzureTestBed.VAULT, "enabled", Canaries.SECRET);
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

  private static void rejected(
      Map<String, String> attributes, String secrets, String code, String message) {
    provider.assertRejected(call(attributes, secrets), code, message);
  }

  @Test
  void workloadIdentity_withoutTokens_orWithoutTheExchangeAudience_isUnauthenticated() {
    rejected(
        bed.attributes(SECRET, "csi.storage.k8s.io/serviceAccount.tokens", null),
        "null",
        "UNAUTHENTICATED",
        "failed to parse workload identity tokens, error: service account tokens not found");
    rejected(
        bed.attributes(
            SECRET, "csi.storage.k8s.io/serviceAccount.tokens", Canaries.tokensJson("api://other")),
        "null",
        "UNAUTHENTICATED",
        "token for audience api://AzureADTokenExchange not found");
  }

  @Test
  void aForgedOrExpiredPodToken_isRefusedByEntraId() {
    rejected(
        bed.attributes(
            SECRET,
            "csi.storage.k8s.io/serviceAccount.tokens",
            Canaries.tokensJson(AzureEmulator.EXCHANGE_AUDIENCE)),
        "null",
        "PERMISSION_DENIED",
        "AADSTS700027");
    String expired =
        bed.azure.mintServiceAccountToken(
            AzureTestBed.NAMESPACE, "app", AzureEmulator.EXCHANGE_AUDIENCE, Duration.ZERO);
    rejected(
        bed.attributes(
            SECRET,
            "csi.storage.k8s.io/serviceAccount.tokens",
            AzureTestBed.tokens(Map.of(AzureEmulator.EXCHANGE_AUDIENCE, expired))),
        "null",
        "PERMISSION_DENIED",
        "AADSTS700024");
  }

  @Test
  void
      servicePrincipal_mountsByDefault_andIsRefusedNamingFlagAndChartValue_whenTheOperatorTurnsItOff()
          throws Exception {
    String secrets =
        AzureTestBed.json(
            Map.of("clientid", AzureTestBed.CLIENT_ID, "clientsecret", Canaries.NODE_PUBLISH));
    // Own providers: a mount that logs in fills the credential cache other tests' refusals depend
    // on.
    assertThat(
            ProviderFixture.text(
                bed.provider(bed.settings())
                    .mount(call(bed.attributes(ENABLED, "clientID", null), secrets)),
                0))
        .isEqualTo(Canaries.SECRET);
    bed.provider(bed.settings().withServicePrincipal(false))
        .assertRejected(
            call(bed.attributes(ENABLED, "clientID", null), secrets),
            "INVALID_ARGUMENT",
            "--azure-allow-service-principal=true (chart value secrets-store-provider-azure: azure.allowServicePrincipal)");
  }

  @Test
  void nodeIdentities_areOffUnlessTheOperatorEnablesThem_namingFlagAndChartValue() {
    rejected(
        bed.attributes(SECRET, "usePodIdentity", "true"),
        "null",
        "INVALID_ARGUMENT",
        "--azure-enable-pod-identity=true (chart value secrets-store-provider-azure: azure.podIdentity.enabled)");
    rejected(
        bed.attributes(SECRET, "useVMManagedIdentity", "true", "userAssignedIdentityID", "1234"),
        "null",
        "INVALID_ARGUMENT",
        "--azure-enable-managed-identity=true (chart value secrets-store-provider-azure: azure.enableManagedIdentity)");
  }

  @Test
  void clientIds_areCheckedOnlyInTheModeThatReadsThem() throws Exception {
    // Workload identity never reads userAssignedIdentityID (upstream neither): a stray value
    // mounts.
    assertThat(
            ProviderFixture.text(
                bed.provider(bed.settings())
                    .mount(
                        call(bed.attributes(ENABLED, "userAssignedIdentityID", "not a client id"))),
                0))
        .isEqualTo(Canaries.SECRET);
    rejected(
        bed.attributes(SECRET, "clientID", "not a client id"),
        "null",
        "INVALID_ARGUMENT",
        "clientID must be a client id");
    ProviderFixture nodeIdentities = bed.provider(bed.nodeIdentitySettings());
    nodeIdentities.assertRejected(
        call(
            bed.attributes(
                SECRET,
                "useVMManagedIdentity",
                "true",
                "userAssignedIdentityID",
                "not a client id")),
        "INVALID_ARGUMENT",
        "userAssignedIdentityID must be a client id");
  }

  @Test
  void missingObjects_disabledVersions_andForeignTenants() {
    rejected(
        bed.attributes(objects("objectName: nope\nobjectType: secret")),
        "null",
        "NOT_FOUND",
        "SecretNotFound");
    rejected(
        bed.attributes(objects("objectName: nope\nobjectType: key")),
        "null",
        "NOT_FOUND",
        "KeyNotFound");
    rejected(
        bed.attributes(
            objects(
                "objectName: db-password\nobjectType: secret\nobjectVersion: " + disabledVersion)),
        "null",
        "FAILED_PRECONDITION",
        "SecretDisabled");
    rejected(
        bed.attributes(SECRET, "tenantId", "tenant-b"),
        "null",
        "PERMISSION_DENIED",
        "another tenant than tenantId");
    rejected(
        bed.attributes(SECRET, "cloudName", "AzureStackCloud", "cloudEnvFileName", "/etc/passwd"),
        "null",
        "INVALID_ARGUMENT",
        "--azure-cloud-env-dir");
  }
}
