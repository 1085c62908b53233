// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Self-minted pod tokens (upstream's fallback, opt-in here): refused without the flag; with it, a
 * TokenRequest bound to the pod, for the {@code audience} parameter or, without one, for the API
 * server's default audiences as upstream asks.
 */
class VaultTokenRequestIT {
  private VaultTestBed bed;
  private KubernetesMockServer kubeServer;
  private KubernetesClient kube;

  @BeforeEach
  void start() throws Exception {
    bed = new VaultTestBed();
    bed.vault.putKv2("", "secret", "app/db", Map.of("username", "app-user"));
    kubeServer = VaultTestBed.apiServerWithHmacKey();
    kube = kubeServer.createClient();
  }

  @AfterEach
  void stop() throws Exception {
    kube.close();
    kubeServer.destroy();
    bed.close();
  }

  private void expectTokenRequest(String audience) {
    TokenRequest answer =
        new TokenRequestBuilder()
            .withNewStatus()
            .withToken(bed.jwt("app", audience))
            .withExpirationTimestamp(Instant.now().plusSeconds(900).toString())
            .endStatus()
            .build();
    kubeServer
        .expect()
        .post()
        .withPath("/api/v1/namespaces/team-a/serviceaccounts/app/token")
        .andReturn(201, answer)
        .once();
  }

  private ProviderFixture provider(boolean allow) throws Exception {
    VaultBackend backend =
        VaultBackend.start(
            bed.settings().withAllowances(allow, false, java.util.List.of(), java.util.List.of()),
            new BackendContext(Clock.systemUTC(), new CredentialCache(Clock.systemUTC(), 1000))
                .withKube(SharedKubeClient.of(kube)));
    return ProviderFixture.start(backend, VaultTestBed.FAST);
  }

  private Map<String, String> withoutTokens(String... extra) {
    Map<String, String> attributes =
        bed.attributes("- {objectName: u, secretPath: secret/data/app/db, secretKey: username}");
    attributes.remove("csi.storage.k8s.io/serviceAccount.tokens");
    for (int i = 0; i < extra.length; i += 2) {
      attributes.put(extra[i], extra[i + 1]);
    }
    return attributes;
  }

  @Test
  void withoutTheFlag_aMissingTokenIsUnauthenticated() throws Exception {
    try (ProviderFixture provider = provider(false)) {
      assertThatThrownBy(
              () ->
                  provider
                      .client()
                      .mount(VaultTestBed.call(withoutTokens()), Duration.ofSeconds(20)))
          .isInstanceOfSatisfying(
              ProviderCallException.class, e -> assertThat(e.code()).isEqualTo("UNAUTHENTICATED"));
    }
  }

  @Test
  void withTheFlag_mintsAPodBoundToken_forTheDefaultAudienceOrTheParameter() throws Exception {
    // The bed's role wants audience "vault": a default-audience token is what upstream would mint,
    // so it is refused by this role; the request sent is what matters here.
    expectTokenRequest(null);
    try (ProviderFixture provider = provider(true)) {
      assertThatThrownBy(
              () ->
                  provider
                      .client()
                      .mount(VaultTestBed.call(withoutTokens()), Duration.ofSeconds(20)))
          .isInstanceOfSatisfying(
              ProviderCallException.class,
              e -> assertThat(e.code()).isEqualTo("PERMISSION_DENIED"));
      RecordedRequest request = takeTokenRequest();
      String body = request.getBody().readString(StandardCharsets.UTF_8);
      assertThat(body)
          .contains("\"kind\":\"Pod\"")
          .contains("\"name\":\"app-7d4f9\"")
          .contains("\"expirationSeconds\":900")
          .doesNotContain("\"audiences\":[\"");

      expectTokenRequest("vault");
      String content =
          new String(
              provider
                  .client()
                  .mount(
                      VaultTestBed.call(withoutTokens("audience", "vault")), Duration.ofSeconds(20))
                  .files()
                  .get(0)
                  .contents(),
              StandardCharsets.UTF_8);
      assertThat(content).isEqualTo("app-user");
      assertThat(takeTokenRequest().getBody().readString(StandardCharsets.UTF_8))
          .contains("\"audiences\":[\"vault\"]");
    }
  }

  @Test
  void point15_withTheFlag_andNoAudience_aMintedTokenGoesOnlyToTheOperatorsAddresses()
      throws Exception {
    try (ProviderFixture provider = provider(true)) {
      // Another Vault (the emulator's HTTPS listener stands for a tenant's own server): refused
      // before any TokenRequest, naming the parameter, the flag and the chart value.
      assertThatThrownBy(
              () ->
                  provider
                      .client()
                      .mount(
                          VaultTestBed.call(withoutTokens("vaultAddress", bed.httpsAddress())),
                          Duration.ofSeconds(20)))
          .isInstanceOfSatisfying(
              ProviderCallException.class,
              e -> {
                assertThat(e.code()).isEqualTo("INVALID_ARGUMENT");
                assertThat(e.description())
                    .startsWith("audience must be set")
                    .contains("--vault-allow-token-request")
                    .contains("--vault-allowed-addresses")
                    .contains("config.vaultAllowedAddresses");
              });
      assertThat(tokenRequestsSent()).as("TokenRequests sent").isZero();
    }
    // The same address allowed by the operator: minted and sent.
    VaultBackend backend =
        VaultBackend.start(
            bed.settings()
                .withAllowances(
                    true, false, java.util.List.of(bed.httpsAddress()), java.util.List.of())
                .withTls(new TlsConfig(bed.caFile.toString(), "", "", "", "", false)),
            new BackendContext(Clock.systemUTC(), new CredentialCache(Clock.systemUTC(), 1000))
                .withKube(SharedKubeClient.of(kube)));
    try (ProviderFixture provider = ProviderFixture.start(backend, VaultTestBed.FAST)) {
      expectTokenRequest(null);
      assertThatThrownBy(
              () ->
                  provider
                      .client()
                      .mount(
                          VaultTestBed.call(withoutTokens("vaultAddress", bed.httpsAddress())),
                          Duration.ofSeconds(20)))
          .isInstanceOfSatisfying(
              ProviderCallException.class,
              e -> assertThat(e.code()).as(e.description()).isEqualTo("PERMISSION_DENIED"));
      assertThat(takeTokenRequest().getBody().readString(StandardCharsets.UTF_8))
          .doesNotContain("\"audiences\":[\"");
    }
  }

  /** Drains what the mock API server received; counts the TokenRequests among it. */
  private int tokenRequestsSent() throws InterruptedException {
    int count = 0;
    for (RecordedRequest request = kubeServer.takeRequest(200, TimeUnit.MILLISECONDS);
        request != null;
        request = kubeServer.takeRequest(200, TimeUnit.MILLISECONDS)) {
      count += request.getPath().endsWith("/token") ? 1 : 0;
    }
    return count;
  }

  private RecordedRequest takeTokenRequest() throws InterruptedException {
    for (int i = 0; i < 10; i++) {
      RecordedRequest request = kubeServer.takeRequest(5, TimeUnit.SECONDS);
      if (request != null && request.getPath().endsWith("/token")) {
        return request;
      }
    }
    throw new AssertionError("no TokenRequest was sent");
  }
}
