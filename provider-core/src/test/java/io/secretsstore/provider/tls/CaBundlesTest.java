// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaBundlesTest {
  @TempDir Path dir;

  @Test
  void aBundle_isTrustedInsteadOfTheJdksCas() throws Exception {
    Path bundle = Files.copy(resource("sync/ca.crt"), dir.resolve("ca.pem"));
    X509Certificate ca;
    try (InputStream in = Files.newInputStream(bundle)) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }

    assertThat(issuers(CaBundles.trustManagers(bundle, "--test-ca-bundle"))).containsExactly(ca);
    assertThat(issuers(CaBundles.trustManagers(null, "--test-ca-bundle")))
        .as("the JDK's CAs")
        .hasSizeGreaterThan(10)
        .doesNotContain(ca);
    assertThat(CaBundles.sslContext(bundle, "--test-ca-bundle").getProtocol()).isEqualTo("TLS");
  }

  @Test
  void anEmptyOrMissingBundle_isAFailedPreconditionNamingTheFlag() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
    for (Path bundle : new Path[] {empty, dir.resolve("missing.pem")}) {
      assertThatThrownBy(() -> CaBundles.trustManagers(bundle, "--test-ca-bundle"))
          .isInstanceOfSatisfying(
              ProviderException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
          .hasMessageContaining("--test-ca-bundle");
    }
  }

  private static List<X509Certificate> issuers(TrustManager[] managers) {
    return Arrays.asList(((X509TrustManager) managers[0]).getAcceptedIssuers());
  }

  private static Path resource(String name) throws Exception {
    return Path.of(CaBundlesTest.class.getClassLoader().getResource(name).toURI());
  }
}
