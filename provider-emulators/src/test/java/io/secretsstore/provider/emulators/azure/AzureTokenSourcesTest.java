// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
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
 * The emulator's token sources as plain HTTP clients see them: IMDS and NMI answer in their own
 * formats and statuses, the identity-binding proxy only over TLS with its SNI name, and every token
 * they issue reads the vault.
 */
class AzureTokenSourcesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCE = "https://vault.azure.net";
  private final AzureEmulator azure = new AzureEmulator();
  private StartedEmulator started;
  private Path caFile;
  private EmulatorOptions options;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    caFile = Files.createTempFile("azure-ca", ".pem");
    options = EmulatorOptions.create(caFile);
    started = azure.start(options);
    azure.createVault("kv", "t1");
    azure.setSecret("kv", "db", "value");
    azure.setSystemAssignedIdentity("t1", "node-id");
    azure.addUserAssignedIdentity("t1", "user-id");
    azure.assignPodIdentity("ns", "pod-1", "t1", "pod-id");
    azure.bindIdentity("t1", "bound-id", "system:serviceaccount:ns:sa");
    for (String id : List.of("node-id", "user-id", "pod-id", "bound-id")) {
      azure.allow("kv", id);
    }
  }

  @AfterEach
  void stop() throws Exception {
    azure.close();
    Files.deleteIfExists(caFile);
  }

  private HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String imds(String query) {
    return started.endpoint("imds") + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
        + URLEncoder.encode(RESOURCE, StandardCharsets.UTF_8) + query;
  }

  /** Reads the secret with a bearer token straight from the emulator's Key Vault. */
  private int readWith(String accessToken) throws Exception {
    HttpClient tls = HttpClient.newBuilder().sslContext(options.tls().clientContext()).build();
    return tls.send(HttpRequest.newBuilder(URI.create(started.endpoint("keyvault") + "/kv/secrets/db?api-version=7.5"))
        .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void imds_needsTheMetadataHeader_andKnowsTheNodesIdentities() throws Exception {
    HttpResponse<String> noHeader = get(imds(""));
    assertThat(noHeader.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noHeader.body()).path("error_description").asText()).isEqualTo("Required metadata header not specified");
    assertThat(JSON.readTree(get(imds("&client_id=nobody"), "Metadata", "true").body()).path("error_description").asText())
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
    String url = started.endpoint("nmi") + "?resource=" + URLEncoder.encode(RESOURCE, StandardCharsets.UTF_8);
    assertThat(get(url).statusCode()).isEqualTo(400);
    assertThat(get(url, "podns", "ns", "podname", "pod-2").statusCode()).isEqualTo(404);
    JsonNode answer = JSON.readTree(get(url, "podns", "ns", "podname", "pod-1").body());
    assertThat(answer.path("clientid").asText()).isEqualTo("pod-id");
    assertThat(readWith(answer.path("token").path("access_token").asText())).isEqualTo(200);
    assertThat(azure.nmiRequests()).isEqualTo(3);
  }

  private HttpClient proxyClient(String sniName) {
    SSLParameters parameters = options.tls().clientContext().getDefaultSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(sniName)));
    return HttpClient.newBuilder().sslContext(options.tls().clientContext()).sslParameters(parameters).build();
  }

  private HttpRequest proxyToken(String assertion) {
    String form = "grant_type=client_credentials&client_id=bound-id&scope=" + URLEncoder.encode(RESOURCE + "/.default", StandardCharsets.UTF_8)
        + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
        + "&client_assertion=" + assertion;
    return HttpRequest.newBuilder(URI.create(started.endpoint("token-proxy") + "/t1/oauth2/v2.0/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
  }

  @Test
  void tokenProxy_answersOnlyWithItsSniName_andChecksTheBindingToken() throws Exception {
    String binding = azure.mintServiceAccountToken("ns", "sa", AzureEmulator.IDENTITY_BINDING_AUDIENCE, Duration.ofHours(1));
    assertThatThrownBy(() -> proxyClient("localhost").send(proxyToken(binding), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
    HttpClient proxy = proxyClient(AzureEmulator.TOKEN_PROXY_SNI_NAME);
    String exchange = azure.mintServiceAccountToken("ns", "sa", AzureEmulator.EXCHANGE_AUDIENCE, Duration.ofHours(1));
    HttpResponse<String> wrongAudience = proxy.send(proxyToken(exchange), HttpResponse.BodyHandlers.ofString());
    assertThat(wrongAudience.statusCode()).isEqualTo(400);
    assertThat(wrongAudience.body()).contains("AADSTS700212").doesNotContain(exchange);
    String unbound = azure.mintServiceAccountToken("ns", "other", AzureEmulator.IDENTITY_BINDING_AUDIENCE, Duration.ofHours(1));
    assertThat(proxy.send(proxyToken(unbound), HttpResponse.BodyHandlers.ofString()).body()).contains("AADSTS70021");
    HttpResponse<String> ok = proxy.send(proxyToken(binding), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(readWith(JSON.readTree(ok.body()).path("access_token").asText())).isEqualTo(200);
    assertThat(azure.tokenProxyRequests()).isEqualTo(3);
    assertThat(azure.tokenRequests()).isZero();
  }
}
