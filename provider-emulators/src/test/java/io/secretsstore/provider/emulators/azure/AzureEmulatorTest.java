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
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Azure emulator driven by the real Key Vault SDK and azure-identity (JDK HTTP client, no retries). */
class AzureEmulatorTest {
  private static final RetryOptions NO_RETRIES = new RetryOptions(new FixedDelayOptions(0, Duration.ZERO));
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
    HttpClient http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(options.tls().clientContext())).build();
    var credential = new ClientSecretCredentialBuilder().tenantId("t1").clientId(clientId).clientSecret(secret)
        .authorityHost(started.endpoint("aad").toString()).httpClient(http).retryOptions(NO_RETRIES).disableInstanceDiscovery().build();
    return new SecretClientBuilder().vaultUrl(started.endpoint("keyvault") + "/kv").credential(credential).httpClient(http)
        .retryOptions(NO_RETRIES).disableChallengeResourceVerification().buildClient();
  }

  @Test
  void anUnauthenticatedCall_getsTheBearerChallengeOfTheVaultsTenant() throws Exception {
    HttpResponse<String> response = java.net.http.HttpClient.newBuilder().sslContext(options.tls().clientContext()).build()
        .send(HttpRequest.newBuilder(URI.create(started.endpoint("keyvault") + "/kv/secrets/x?api-version=7.5")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
        "Bearer authorization=\"" + started.endpoint("aad") + "/t1\", resource=\"https://vault.azure.net\"");
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
    assertThatThrownBy(() -> client.getSecret("missing")).isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("SecretNotFound");
  }

  @Test
  void aWrongClientSecret_isRefusedByEntraId() {
    azure.setSecret("kv", "db", "one");
    assertThatThrownBy(() -> client("app", "wrong").getSecret("db")).isInstanceOf(RuntimeException.class)
        .hasMessageContaining("AADSTS7000215");
  }

  @Test
  void injectedThrottling_isKeyVaults429WithRetryAfter() {
    azure.setSecret("kv", "db", "one");
    SecretClient client = client("app", "s3cret");
    client.getSecret("db");
    azure.faults().inject("azure.keyvault.secret.get", Fault.throttled(Duration.ofSeconds(2)), 1);
    assertThatThrownBy(() -> client.getSecret("db")).isInstanceOfSatisfying(HttpResponseException.class, e -> {
      assertThat(e.getResponse().getStatusCode()).isEqualTo(429);
      assertThat(e.getResponse().getHeaders().getValue(com.azure.core.http.HttpHeaderName.RETRY_AFTER)).isEqualTo("2");
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
}
