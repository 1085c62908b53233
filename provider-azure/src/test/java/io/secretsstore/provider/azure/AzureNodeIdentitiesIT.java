// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static io.secretsstore.provider.azure.AzureTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node's identities, enabled by the operator's flags: the VM's managed identity through the
 * emulator's IMDS (system- and user-assigned) and AAD Pod Identity through its NMI, each ending at
 * the real Key Vault SDK. Tokens are cached per identity: the node's identity once for all pods,
 * pod identity per pod, so one pod never reads with another pod's token.
 */
class AzureNodeIdentitiesIT {
  private static final String SYSTEM_ID = "5e5e5e5e-0000-4000-8000-000000000001";
  private static final String USER_ID = "5e5e5e5e-0000-4000-8000-000000000002";
  private static final String NOT_ALLOWED_ID = "5e5e5e5e-0000-4000-8000-000000000003";
  private static final String POD_ID = "5e5e5e5e-0000-4000-8000-000000000004";
  private static final String OTHER_POD_ID = "5e5e5e5e-0000-4000-8000-000000000005";
  private static final String POD = "app-7d4f9";
  // Used by one test each, so that it alone fills their token cache entries.
  private static final String COUNTED_USER_ID = "5e5e5e5e-0000-4000-8000-000000000006";
  private static final String COUNTED_POD_ID = "5e5e5e5e-0000-4000-8000-000000000007";
  private static final String COUNTED_POD = "counted-9a7b2";
  private static AzureTestBed bed;
  private static ProviderFixture provider;
  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void start() throws Exception {
    bed = AzureTestBed.withDbPassword();
    bed.azure.setSystemAssignedIdentity(AzureTestBed.TENANT, SYSTEM_ID);
    bed.azure.addUserAssignedIdentity(AzureTestBed.TENANT, USER_ID);
    bed.azure.addUserAssignedIdentity(AzureTestBed.TENANT, NOT_ALLOWED_ID);
    bed.azure.addUserAssignedIdentity(AzureTestBed.TENANT, COUNTED_USER_ID);
    bed.azure.assignPodIdentity(
        AzureTestBed.NAMESPACE, COUNTED_POD, AzureTestBed.TENANT, COUNTED_POD_ID);
    bed.azure.assignPodIdentity(AzureTestBed.NAMESPACE, POD, AzureTestBed.TENANT, POD_ID);
    bed.azure.assignPodIdentity(
        AzureTestBed.NAMESPACE, "other-5c8b1", AzureTestBed.TENANT, OTHER_POD_ID);
    for (String id : new String[] {SYSTEM_ID, USER_ID, POD_ID, COUNTED_USER_ID, COUNTED_POD_ID}) {
      bed.azure.allow(AzureTestBed.VAULT, id);
    }
    provider = bed.provider(bed.nodeIdentitySettings());
  }

  @AfterAll
  static void stop() throws Exception {
    bed.close();
  }

  @AfterEach
  void scan() {
    bed.azure.faults().clear();
    logs.assertNoCanary(bed.secretsAndAccessTokens());
  }

  /** The canary pod's attributes in a node-identity mode: no clientID, no pod tokens. */
  private static Map<String, String> attributes(String... extra) {
    return AzureTestBed.with(
        bed.attributes(
            AzureTestBed.DB_PASSWORD,
            "clientID",
            null,
            "csi.storage.k8s.io/serviceAccount.tokens",
            null),
        extra);
  }

  private static MountReply mount(Map<String, String> attributes) {
    return provider.client().mount(call(attributes), Duration.ofSeconds(30));
  }

  @Test
  void managedIdentity_systemAssigned_andUserAssigned_mountTheSecret() {
    assertThat(ProviderFixture.text(mount(attributes("useVMManagedIdentity", "true")), 0))
        .isEqualTo(Canaries.SECRET);
    assertThat(
            ProviderFixture.text(
                mount(
                    attributes("useVMManagedIdentity", "true", "userAssignedIdentityID", USER_ID)),
                0))
        .isEqualTo(Canaries.SECRET);
  }

  @Test
  void managedIdentity_anIdentityTheNodeLacks_orOneKeyVaultRefuses_isPermissionDenied() {
    provider.assertRejected(
        call(attributes("useVMManagedIdentity", "true", "userAssignedIdentityID", "0000-unknown")),
        "PERMISSION_DENIED",
        "no managed identity with the client id of userAssignedIdentityID");
    provider.assertRejected(
        call(attributes("useVMManagedIdentity", "true", "userAssignedIdentityID", NOT_ALLOWED_ID)),
        "PERMISSION_DENIED",
        "Key Vault answered HTTP 403");
  }

  @Test
  void managedIdentity_aHundredMountsFromManyPods_askImdsOncePerIdentity() {
    long before = bed.azure.imdsRequests();
    for (int i = 0; i < 100; i++) {
      // The node's identity is the same whichever pod asks, so pods share its token.
      Map<String, String> attributes =
          attributes(
              "useVMManagedIdentity",
              "true",
              "userAssignedIdentityID",
              COUNTED_USER_ID,
              "csi.storage.k8s.io/pod.name",
              "web-" + i,
              "csi.storage.k8s.io/pod.uid",
              "00000000-0000-4000-8000-" + String.format("%012d", i));
      assertThat(ProviderFixture.text(mount(attributes), 0)).isEqualTo(Canaries.SECRET);
    }
    assertThat(bed.azure.imdsRequests() - before).isEqualTo(1);
  }

  @Test
  void podIdentity_mountsWithThePodsIdentity_andAnotherPodNeverGetsIt() {
    assertThat(ProviderFixture.text(mount(attributes("usePodIdentity", "true")), 0))
        .isEqualTo(Canaries.SECRET);
    // Same namespace and service account, another pod: NMI maps it to an identity Key Vault
    // refuses, and the first pod's cached token must not be used for it.
    provider.assertRejected(
        call(
            attributes(
                "usePodIdentity",
                "true",
                "csi.storage.k8s.io/pod.name",
                "other-5c8b1",
                "csi.storage.k8s.io/pod.uid",
                "11111111-2222-4333-8444-555555555555")),
        "PERMISSION_DENIED",
        "Key Vault answered HTTP 403");
    // A pod NMI has no identity for (404).
    provider.assertRejected(
        call(
            attributes(
                "usePodIdentity",
                "true",
                "csi.storage.k8s.io/pod.name",
                "nobody-1",
                "csi.storage.k8s.io/pod.uid",
                "11111111-2222-4333-8444-666666666666")),
        "PERMISSION_DENIED",
        "NMI has no identity for the pod");
    assertThat(ProviderFixture.text(mount(attributes("usePodIdentity", "true")), 0))
        .isEqualTo(Canaries.SECRET);
  }

  @Test
  void podIdentity_aHundredMountsOfOnePod_askNmiOnce() {
    long before = bed.azure.nmiRequests();
    Map<String, String> counted =
        attributes(
            "usePodIdentity",
            "true",
            "csi.storage.k8s.io/pod.name",
            COUNTED_POD,
            "csi.storage.k8s.io/pod.uid",
            "33333333-0000-4000-8000-000000000001");
    for (int i = 0; i < 100; i++) {
      assertThat(ProviderFixture.text(mount(counted), 0)).isEqualTo(Canaries.SECRET);
    }
    assertThat(bed.azure.nmiRequests() - before).isEqualTo(1);
  }

  @Test
  void tokenSourceErrors_mapToTheCodesTheDriverActsOn() {
    String fresh = "csi.storage.k8s.io/pod.uid";
    bed.azure.faults().inject("azure.nmi.token", Fault.error(403));
    provider.assertRejected(
        call(attributes("usePodIdentity", "true", fresh, "22222222-0000-4000-8000-000000000001")),
        "PERMISSION_DENIED",
        "NMI has no identity for the pod");
    bed.azure.faults().clear();
    bed.azure.faults().inject("azure.nmi.token", Fault.error(503));
    provider.assertRejected(
        call(attributes("usePodIdentity", "true", fresh, "22222222-0000-4000-8000-000000000002")),
        "UNAVAILABLE",
        "answered HTTP 503");
    bed.azure.faults().clear();
    bed.azure.faults().inject("azure.imds.token", Fault.error(500));
    provider.assertRejected(
        call(
            attributes(
                "useVMManagedIdentity", "true", "userAssignedIdentityID", NOT_ALLOWED_ID + "0")),
        "UNAVAILABLE",
        "the managed identity endpoint (IMDS) answered HTTP 500");
  }

  @Test
  void tokenSourcesDown_areUnavailable() throws Exception {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    URI down = URI.create("http://127.0.0.1:1");
    AzureSettings.TokenEndpoints endpoints = bed.endpoints();
    ProviderFixture offline =
        bed.provider(
            bed.nodeIdentitySettings()
                .withEndpoints(
                    new AzureSettings.TokenEndpoints(
                        down,
                        URI.create(down + "/host/token/"),
                        endpoints.tokenProxy(),
                        endpoints.tokenProxySniName(),
                        endpoints.tokenProxyCa())));
    offline.assertRejected(
        call(attributes("useVMManagedIdentity", "true")),
        "UNAVAILABLE",
        "cannot reach the managed identity endpoint");
    offline.assertRejected(
        call(attributes("usePodIdentity", "true")), "UNAVAILABLE", "cannot reach the NMI endpoint");
  }

  @Test
  void withoutTheOperatorsFlags_nodeIdentitiesAreRefused_andModesAreExclusive() throws Exception {
    ProviderFixture strict = bed.provider(bed.settings().withEndpoints(bed.endpoints()));
    long imds = bed.azure.imdsRequests();
    long nmi = bed.azure.nmiRequests();
    strict.assertRejected(
        call(attributes("useVMManagedIdentity", "true")),
        "INVALID_ARGUMENT",
        "--azure-enable-managed-identity");
    strict.assertRejected(
        call(attributes("usePodIdentity", "true")),
        "INVALID_ARGUMENT",
        "--azure-enable-pod-identity");
    assertThat(bed.azure.imdsRequests()).isEqualTo(imds);
    assertThat(bed.azure.nmiRequests()).isEqualTo(nmi);
    provider.assertRejected(
        call(attributes("useVMManagedIdentity", "true", "usePodIdentity", "true")),
        "INVALID_ARGUMENT",
        "only one identity mode can be enabled at a time");
    provider.assertRejected(
        call(attributes("useAzureTokenProxy", "true", "usePodIdentity", "true")),
        "INVALID_ARGUMENT",
        "only one identity mode can be enabled at a time");
    provider.assertRejected(
        call(attributes("useVMManagedIdentity", "yes")),
        "INVALID_ARGUMENT",
        "useVMManagedIdentity");
  }
}
