// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorTlsTest {
  private static EmulatorTls tls;
  private static EmulatorServer server;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    tls = EmulatorTls.generate();
    server = EmulatorServer.start(ServerOptions.defaults(tls));
    server.route("GET", "/hello", "test.hello", request -> EmulatorResponse.text(200, "hello"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void httpsAnswersAClientThatTrustsOnlyTheExportedPem() throws Exception {
    Path pem = tls.writeCaPem(dir.resolve("nested/ca.pem"));

    var response = TestClients.get(TestClients.trusting(pem), server.httpsUrl().resolve("/hello"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello");
  }

  @Test
  void httpsAnswersOverLocalhostToo() throws Exception {
    Path pem = tls.writeCaPem(dir.resolve("ca.pem"));
    var localhost =
        java.net.URI.create("https://localhost:" + server.httpsUrl().getPort() + "/hello");

    assertThat(TestClients.get(TestClients.trusting(pem), localhost).statusCode()).isEqualTo(200);
  }

  @Test
  void clientContextFromTheTlsObjectIsEnoughToConnect() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();

    assertThat(TestClients.get(client, server.httpsUrl().resolve("/hello")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void httpsIsRefusedByAClientWithDefaultTrust() {
    assertThatThrownBy(
            () -> TestClients.get(TestClients.plain(), server.httpsUrl().resolve("/hello")))
        .isInstanceOf(SSLHandshakeException.class);
    assertThat(server.calls().count("test.hello")).isZero();
  }

  @Test
  void httpsIsRefusedWhenTheTrustedCaIssuedTheCertificateForAnotherHost() throws Exception {
    Path pem = tls.writeCaPem(dir.resolve("ca.pem"));
    try (EmulatorServer wrongHost =
        EmulatorServer.start(ServerOptions.defaults(tls.forHosts("wrong.example")))) {
      wrongHost.route(
          "GET", "/hello", "test.hello", request -> EmulatorResponse.text(200, "hello"));

      assertThatThrownBy(
              () ->
                  TestClients.get(
                      TestClients.trusting(pem), wrongHost.httpsUrl().resolve("/hello")))
          .isInstanceOf(SSLHandshakeException.class);
      assertThat(wrongHost.calls().total()).isZero();
    }
  }

  @Test
  void serverCertificateNamesTheLoopbackHostsAndExpiresWithinItsValidity() throws Exception {
    EmulatorTls shortLived = EmulatorTls.generate(Duration.ofHours(1));
    X509Certificate certificate = shortLived.serverCertificate();

    List<String> names =
        certificate.getSubjectAlternativeNames().stream()
            .map(name -> name.get(1).toString())
            .toList();
    assertThat(names).containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(certificate.getNotAfter().toInstant())
        .isBefore(Instant.now().plus(Duration.ofHours(1)).plusSeconds(60));
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(shortLived.caCertificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    certificate.verify(shortLived.caCertificate().getPublicKey());
  }

  @Test
  void exportedPemHoldsTheCaCertificateAndNoPrivateKey() throws Exception {
    String pem = tls.caPem();

    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE");
    var parsed =
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    assertThat(parsed).isEqualTo(tls.caCertificate());
    assertThat(tls.toString())
        .contains("localhost")
        .doesNotContain("PRIVATE")
        .doesNotContain("BEGIN");
  }

  @Test
  void eachGenerationHasItsOwnCa() {
    assertThat(EmulatorTls.generate().caCertificate()).isNotEqualTo(tls.caCertificate());
    assertThat(tls.forHosts("other.example").caCertificate()).isEqualTo(tls.caCertificate());
  }
}
