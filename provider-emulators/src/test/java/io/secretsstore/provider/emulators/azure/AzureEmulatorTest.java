// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Azure emulator driven by the real Key Vault SDK and azure-identity (JDK HTTP client, no
 * retries), and its node token sources (IMDS, NMI) and identity-binding proxy as plain HTTP clients
 * see them.
 */
class AzureEmulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCE = "https://vault.azure.net";
  private static final RetryOptions NO_RETRIES =
      new RetryOptions(new FixedDelayOptions(0, Duration.ZERO));
  private final AzureEmulator azure = new AzureEmulator();
  private StartedEmulator started;
  private Path caFile;
  private EmulatorOptions options;

  @BeforeEach
  void start() throws Exception {
    caFile = Files.createTempFile("azure-ca", ".pem");
    options = EmulatorOptions.create(caFile);
    started = azure.start(options);
    azure.createVault("kv", "t1");
    azure.addApplication("t1", "app", "s3cret");
    azure.allow("kv", "app");
  }

  @AfterEach
  void stop() throws Exception {
    azure.close();
    Files.deleteIfExists(caFile);
  }

  private SecretClient client(String clientId, String secret) {
    HttpClient http =
        new JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder().sslContext(options.tls().clientContext()))
            .build();
    var credential =
        new ClientSecretCredentialBuilder()
            .tenantId("t1")
            .clientId(clientId)
            .clientSecret(secret)
            .authorityHost(started.endpoint("aad").toString())
            .httpClient(http)
            .retryOptions(NO_RETRIES)
            .disableInstanceDiscovery()
            .build();
    return new SecretClientBuilder()
        .vaultUrl(started.endpoint("keyvault") + "/kv")
        .credential(credential)
        .httpClient(http)
        .retryOptions(NO_RETRIES)
        .disableChallengeResourceVerification()
        .buildClient();
  }

  @Test
  void anUnauthenticatedCall_getsTheBearerChallengeOfTheVaultsTenant() throws Exception {
    HttpResponse<String> response =
        java.net.http.HttpClient.newBuilder()
            .sslContext(options.tls().clientContext())
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create(started.endpoint("keyvault") + "/kv/secrets/x?api-version=7.5"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue(
            "Bearer authorization=\""
                + started.endpoint("aad")
                + "/t1\", resource=\"https://vault.azure.net\"");
  }

  @Test
  void theSdkReadsVersionsAfterTheChallenge_andCountsCalls() {
    String first = azure.setSecret("kv", "db", "one");
    azure.setSecret("kv", "db", "two");
    SecretClient client = client("app", "s3cret");
    assertThat(client.getSecret("db").getValue()).isEqualTo("two");
    assertThat(client.getSecret("db", first).getValue()).isEqualTo("one");
    assertThat(client.listPropertiesOfSecretVersions("db").stream().count()).isEqualTo(2);
    assertThat(azure.tokenRequests()).isEqualTo(1);
    assertThat(azure.reads("db")).isEqualTo(2);
    assertThatThrownBy(() -> client.getSecret("missing"))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("SecretNotFound");
  }

  @Test
  void aWrongClientSecret_isRefusedByEntraId() {
    azure.setSecret("kv", "db", "one");
    assertThatThrownBy(() -> client("app", "wrong").getSecret("db"))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("AADSTS7000215");
  }

  @Test
  void injectedThrottling_isKeyVaults429WithRetryAfter() {
    azure.setSecret("kv", "db", "one");
    SecretClient client = client("app", "s3cret");
    client.getSecret("db");
    azure.faults().inject("azure.keyvault.secret.get", Fault.throttled(Duration.ofSeconds(2)), 1);
    assertThatThrownBy(() -> client.getSecret("db"))
        .isInstanceOfSatisfying(
            HttpResponseException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(429);
              assertThat(
                      e.getResponse()
                          .getHeaders()
                          .getValue(com.azure.core.http.HttpHeaderName.RETRY_AFTER))
                  .isEqualTo("2");
            });
  }

  @Test
  void demo_seedsAVaultAndAWorkloadIdentity() {
    DemoScenario demo = azure.demo(started).orElseThrow();
    assertThat(demo.backend()).isEqualTo("azure");
    assertThat(demo.serveFlags()).anyMatch(flag -> flag.startsWith("--azure-keyvault-endpoint="));
    assertThat(demo.tokensByAudience()).containsKey(AzureEmulator.EXCHANGE_AUDIENCE);
    assertThat(demo.secretProviderClass()).contains("keyvaultName: demo-kv");
  }

  /**
   * The node's identities, a pod identity and an identity binding, each allowed to read {@code
   * kv/db}.
   */
  private void seedTokenSources() {
    azure.setSecret("kv", "db", "value");
    azure.setSystemAssignedIdentity("t1", "node-id");
    azure.addUserAssignedIdentity("t1", "user-id");
    azure.assignPodIdentity("ns", "pod-1", "t1", "pod-id");
    azure.bindIdentity("t1", "bound-id", "system:serviceaccount:ns:sa");
    for (String id : List.of("node-id", "user-id", "pod-id", "bound-id")) {
      azure.allow("kv", id);
    }
  }

  private HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return java.net.http.HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String imds(String query) {
    return started.endpoint("imds")
        + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
        + URLEncoder.encode(RESOURCE, StandardCharsets.UTF_8)
        + query;
  }

  /** Reads the secret with a bearer token straight from the emulator's Key Vault. */
  private int readWith(String accessToken) throws Exception {
    java.net.http.HttpClient tls =
        java.net.http.HttpClient.newBuilder().sslContext(options.tls().clientContext()).build();
    return tls.send(
            HttpRequest.newBuilder(
                    URI.create(started.endpoint("keyvault") + "/kv/secrets/db?api-version=7.5"))
                .header("Authorization", "Bearer " + accessToken)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void imds_needsTheMetadataHeader_andKnowsTheNodesIdentities() throws Exception {
    seedTokenSources();
    HttpResponse<String> noHeader = get(imds(""));
    assertThat(noHeader.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noHeader.body()).path("error_description").asText())
        .isEqualTo("Required metadata header not specified");
    assertThat(
            JSON.readTree(get(imds("&client_id=nobody"), "Metadata", "true").body())
                .path("error_description")
                .asText())
        .isEqualTo("Identity not found");
    JsonNode system = JSON.readTree(get(imds(""), "Metadata", "true").body());
    JsonNode user = JSON.readTree(get(imds("&client_id=user-id"), "Metadata", "true").body());
    assertThat(system.path("client_id").asText()).isEqualTo("node-id");
    assertThat(user.path("client_id").asText()).isEqualTo("user-id");
    assertThat(system.path("expires_on").isTextual()).isTrue();
    assertThat(readWith(system.path("access_token").asText())).isEqualTo(200);
    assertThat(readWith(user.path("access_token").asText())).isEqualTo(200);
    assertThat(azure.imdsRequests()).isEqualTo(4);
  }

  @Test
  void nmi_mapsPodsToIdentities() throws Exception {
    seedTokenSources();
    String url =
        started.endpoint("nmi")
            + "?resource="
            + URLEncoder.encode(RESOURCE, StandardCharsets.UTF_8);
    assertThat(get(url).statusCode()).isEqualTo(400);
    assertThat(get(url, "podns", "ns", "podname", "pod-2").statusCode()).isEqualTo(404);
    JsonNode answer = JSON.readTree(get(url, "podns", "ns", "podname", "pod-1").body());
    assertThat(answer.path("clientid").asText()).isEqualTo("pod-id");
    assertThat(readWith(answer.path("token").path("access_token").asText())).isEqualTo(200);
    assertThat(azure.nmiRequests()).isEqualTo(3);
  }

  private java.net.http.HttpClient proxyClient(String sniName) {
    SSLParameters parameters = options.tls().clientContext().getDefaultSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(sniName)));
    return java.net.http.HttpClient.newBuilder()
        .sslContext(options.tls().clientContext())
        .sslParameters(parameters)
        .build();
  }

  private HttpRequest proxyToken(String assertion) {
    String form =
        "grant_type=client_credentials&client_id=bound-id&scope="
            + URLEncoder.encode(RESOURCE + "/.default", StandardCharsets.UTF_8)
            + "&client_assertion_type="
            + URLEncoder.encode(
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
            + "&client_assertion="
            + assertion;
    return HttpRequest.newBuilder(
            URI.create(started.endpoint("token-proxy") + "/t1/oauth2/v2.0/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
  }

  @Test
  void tokenProxy_answersOnlyWithItsSniName_andChecksTheBindingToken() throws Exception {
    seedTokenSources();
    String binding =
        azure.mintServiceAccountToken(
            "ns", "sa", AzureEmulator.IDENTITY_BINDING_AUDIENCE, Duration.ofHours(1));
    assertThatThrownBy(
            () ->
                proxyClient("localhost")
                    .send(proxyToken(binding), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
    java.net.http.HttpClient proxy = proxyClient(AzureEmulator.TOKEN_PROXY_SNI_NAME);
    String exchange =
        azure.mintServiceAccountToken(
            "ns", "sa", AzureEmulator.EXCHANGE_AUDIENCE, Duration.ofHours(1));
    HttpResponse<String> wrongAudience =
        proxy.send(proxyToken(exchange), HttpResponse.BodyHandlers.ofString());
    assertThat(wrongAudience.statusCode()).isEqualTo(400);
    assertThat(wrongAudience.body()).contains("AADSTS700212").doesNotContain(exchange);
    String unbound =
        azure.mintServiceAccountToken(
            "ns", "other", AzureEmulator.IDENTITY_BINDING_AUDIENCE, Duration.ofHours(1));
    assertThat(proxy.send(proxyToken(unbound), HttpResponse.BodyHandlers.ofString()).body())
        .contains("AADSTS70021");
    HttpResponse<String> ok = proxy.send(proxyToken(binding), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(readWith(JSON.readTree(ok.body()).path("access_token").asText())).isEqualTo(200);
    assertThat(azure.tokenProxyRequests()).isEqualTo(3);
    assertThat(azure.tokenRequests()).isZero();
  }
}
