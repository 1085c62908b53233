// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultMutualTlsTest {
  private static VaultEmulator vault;
  private static StartedEmulator started;
  private static Path caFile;
  private static ClientCertificate clientCertificate;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vault = new VaultEmulator().requireClientCertificates(true);
    vault.addRole(
        "",
        "kubernetes",
        new VaultRole("app", List.of("app"), List.of("demo"), null, List.of("secret/"), null));
    vault.putKv2("", "secret", "app/db", Map.of("password", "p"));
    caFile = dir.resolve("ca.pem");
    started = vault.start(EmulatorOptions.create(caFile));
    clientCertificate = vault.writeClientCertificate(dir.resolve("client"));
  }

  @AfterAll
  static void stop() {
    vault.close();
  }

  private static SSLContext context(boolean withClientCertificate) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    Certificate ca;
    try (InputStream in = Files.newInputStream(caFile)) {
      ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    trusted.setCertificateEntry("ca", ca);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    KeyManagerFactory keys = null;
    if (withClientCertificate) {
      Certificate certificate;
      try (InputStream in = Files.newInputStream(clientCertificate.certificate())) {
        certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      String pem = Files.readString(clientCertificate.privateKey());
      assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
      String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      PrivateKey key =
          KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("client", key, "x".toCharArray(), new Certificate[] {certificate});
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, "x".toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  private static HttpResponse<String> login(SSLContext context) throws Exception {
    HttpClient client =
        HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    String body =
        VaultTestClient.JSON.writeValueAsString(
            Map.of(
                "role",
                "app",
                "jwt",
                vault.mintServiceAccountToken("demo", "app", "vault", Duration.ofMinutes(1))));
    URI uri = started.endpoint("https").resolve("/v1/auth/kubernetes/login");
    return client.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpsEndpoint_acceptsAClientPresentingTheWrittenCertificate() throws Exception {
    HttpResponse<String> response = login(context(true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(started.settings().get("VAULT_ADDR_TLS"))
        .isEqualTo(started.endpoint("https").toString());
  }

  @Test
  void httpsEndpoint_refusesAClientWithoutACertificate_beforeAnyCallReachesVault()
      throws Exception {
    long before = vault.calls().total();

    assertThatThrownBy(() -> login(context(false))).isInstanceOf(IOException.class);
    assertThat(vault.calls().total()).isEqualTo(before);
  }

  @Test
  void requireClientCertificates_afterStart_isRefused() {
    assertThatThrownBy(() -> vault.requireClientCertificates(false))
        .isInstanceOf(IllegalStateException.class);
  }
}
