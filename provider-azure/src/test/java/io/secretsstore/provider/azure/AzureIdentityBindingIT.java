// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static io.secretsstore.provider.azure.AzureTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.azure.AzureEmulator;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AKS identity binding ({@code useAzureTokenProxy}): the pod's {@code api://AKSIdentityBinding}
 * token goes, as azure-identity's client assertion, to the emulator's token proxy over TLS with the
 * proxy's SNI name, and the proxy's Entra ID token reads Key Vault through the real SDK.
 */
class AzureIdentityBindingIT {
  private static final String BOUND_ID = "7b7b7b7b-0000-4000-8000-000000000001";
  // Identities used by one test each, so no other test's cached token answers for them.
  private static final String FIRST_USE_ID = "7b7b7b7b-0000-4000-8000-000000000002";
  private static final String AUDIENCE_CHECK_ID = "7b7b7b7b-0000-4000-8000-000000000003";
  private static final String FAULT_ID = "7b7b7b7b-0000-4000-8000-000000000004";
  private static final String COUNTED_ID = "7b7b7b7b-0000-4000-8000-000000000005";
  private static AzureTestBed bed;
  private static ProviderFixture provider;
  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void start() throws Exception {
    bed = AzureTestBed.withDbPassword();
    for (String id :
        new String[] {BOUND_ID, FIRST_USE_ID, AUDIENCE_CHECK_ID, FAULT_ID, COUNTED_ID}) {
      bed.azure.bindIdentity(AzureTestBed.TENANT, id, AzureTestBed.SUBJECT);
      bed.azure.allow(AzureTestBed.VAULT, id);
    }
    provider = bed.provider(bed.settings().withEndpoints(bed.endpoints()));
  }

  @AfterAll
  static void stop() throws Exception {
    bed.close();
  }

  @AfterEach
  void scan() {
    logs.assertNoCanary(bed.secretsAndAccessTokens());
  }

  /**
   * The canary pod with identity binding, its tokens as {@code tokensByAudience} (null: no tokens
   * attribute).
   */
  private static Map<String, String> attributes(
      Map<String, String> tokensByAudience, String... extra) {
    return AzureTestBed.with(
        bed.attributes(
            AzureTestBed.DB_PASSWORD,
            "useAzureTokenProxy",
            "true",
            "clientID",
            BOUND_ID,
            "csi.storage.k8s.io/serviceAccount.tokens",
            tokensByAudience == null ? null : AzureTestBed.tokens(tokensByAudience)),
        extra);
  }

  private static Map<String, String> bindingToken() {
    return Map.of(
        AzureEmulator.IDENTITY_BINDING_AUDIENCE,
        bed.token("app", AzureEmulator.IDENTITY_BINDING_AUDIENCE),
        AzureEmulator.EXCHANGE_AUDIENCE,
        bed.token("app"));
  }

  @Test
  void theProxysTokenReadsTheSecret_andEntraIdIsNotAsked() {
    long entra = bed.azure.tokenRequests();
    long proxy = bed.azure.tokenProxyRequests();
    MountReply reply =
        provider
            .client()
            .mount(
                call(attributes(bindingToken(), "clientID", FIRST_USE_ID)), Duration.ofSeconds(30));
    assertThat(ProviderFixture.text(reply, 0)).isEqualTo(Canaries.SECRET);
    assertThat(bed.azure.tokenProxyRequests() - proxy).isEqualTo(1);
    assertThat(bed.azure.tokenRequests()).isEqualTo(entra);
  }

  @Test
  void aHundredMounts_askTheProxyOnce() {
    long before = bed.azure.tokenProxyRequests();
    // The driver sends the same token until it nears expiry.
    Map<String, String> tokens = bindingToken();
    for (int i = 0; i < 100; i++) {
      MountReply reply =
          provider
              .client()
              .mount(call(attributes(tokens, "clientID", COUNTED_ID)), Duration.ofSeconds(30));
      assertThat(ProviderFixture.text(reply, 0)).isEqualTo(Canaries.SECRET);
    }
    assertThat(bed.azure.tokenProxyRequests() - before).isEqualTo(1);
  }

  @Test
  void withoutClientIdOrTheBindingToken_upstreamsMessages() {
    String mode = "failed to build auth config for mode AzureTokenProxy: ";
    provider.assertRejected(
        call(attributes(bindingToken(), "clientID", null)),
        "INVALID_ARGUMENT",
        mode + "clientID is required for identity binding");
    provider.assertRejected(
        call(attributes(null)),
        "UNAUTHENTICATED",
        mode + "service account tokens are required for identity binding");
    provider.assertRejected(
        call(attributes(Map.of(AzureEmulator.EXCHANGE_AUDIENCE, bed.token("app")))),
        "UNAUTHENTICATED",
        mode
            + "failed to parse service account token for identity binding, error: token for audience api://AKSIdentityBinding not found");
  }

  @Test
  void theProxyRefusesATokenOfAnotherAudience_orAnUnboundServiceAccount() {
    // The workload-identity token handed over under the binding audience: the proxy checks its aud.
    provider.assertRejected(
        call(
            attributes(
                Map.of(AzureEmulator.IDENTITY_BINDING_AUDIENCE, bed.token("app")),
                "clientID",
                AUDIENCE_CHECK_ID)),
        "PERMISSION_DENIED",
        "AADSTS700212");
    provider.assertRejected(
        call(
            attributes(
                Map.of(
                    AzureEmulator.IDENTITY_BINDING_AUDIENCE,
                    bed.token("intruder", AzureEmulator.IDENTITY_BINDING_AUDIENCE)),
                "csi.storage.k8s.io/serviceAccount.name",
                "intruder")),
        "PERMISSION_DENIED",
        "AADSTS70021");
  }

  @Test
  void aWrongSniName_orAProxyThatIsDown_isUnavailable() throws Exception {
    AzureSettings.TokenEndpoints endpoints = bed.endpoints();
    // The proxy's certificate names only its SNI name: with another one, the TLS check fails.
    ProviderFixture wrongName =
        bed.provider(
            bed.settings()
                .withEndpoints(
                    new AzureSettings.TokenEndpoints(
                        endpoints.imds(),
                        endpoints.nmi(),
                        endpoints.tokenProxy(),
                        "aother.ests.aks",
                        endpoints.tokenProxyCa())));
    wrongName.assertRejected(
        call(attributes(bindingToken())),
        "UNAVAILABLE",
        "cannot reach the AKS identity binding token proxy");
    ProviderFixture down =
        bed.provider(
            bed.settings()
                .withEndpoints(
                    new AzureSettings.TokenEndpoints(
                        endpoints.imds(),
                        endpoints.nmi(),
                        URI.create("https://127.0.0.1:1"),
                        endpoints.tokenProxySniName(),
                        endpoints.tokenProxyCa())));
    down.assertRejected(
        call(attributes(bindingToken())),
        "UNAVAILABLE",
        "cannot reach the AKS identity binding token proxy");
  }

  @Test
  void theProxyFailing_isUnavailable_thenRecovers() {
    bed.azure.faults().inject("azure.tokenproxy.token", Fault.error(503));
    try {
      provider.assertRejected(
          call(attributes(bindingToken(), "clientID", FAULT_ID)),
          "UNAVAILABLE",
          "the AKS identity binding token proxy answered HTTP 503");
    } finally {
      bed.azure.faults().clear();
    }
    MountReply reply =
        provider
            .client()
            .mount(call(attributes(bindingToken(), "clientID", FAULT_ID)), Duration.ofSeconds(30));
    assertThat(ProviderFixture.text(reply, 0)).isEqualTo(Canaries.SECRET);
  }

  @Test
  void aBadProxyFlag_failsIdentityBindingMounts_notTheProvider() throws Exception {
    Path notPem = Files.createTempFile("not-a-ca", ".pem");
    try {
      Files.writeString(notPem, "not a certificate");
      AzureSettings.TokenEndpoints endpoints = bed.endpoints();
      ProviderFixture badCa =
          bed.provider(
              bed.settings()
                  .withEndpoints(
                      new AzureSettings.TokenEndpoints(
                          endpoints.imds(),
                          endpoints.nmi(),
                          endpoints.tokenProxy(),
                          endpoints.tokenProxySniName(),
                          notPem)));
      badCa.assertRejected(
          call(attributes(bindingToken())), "FAILED_PRECONDITION", "--azure-token-proxy-ca-file");
      // Workload identity on the same provider is unaffected.
      MountReply reply =
          badCa
              .client()
              .mount(call(bed.attributes(AzureTestBed.DB_PASSWORD)), Duration.ofSeconds(30));
      assertThat(ProviderFixture.text(reply, 0)).isEqualTo(Canaries.SECRET);
    } finally {
      Files.deleteIfExists(notPem);
    }
  }
}
