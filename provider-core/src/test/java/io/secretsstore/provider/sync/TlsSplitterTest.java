// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TlsSplitterTest {
  private static byte[] resource(String name) throws IOException {
    try (InputStream in = TlsSplitterTest.class.getResourceAsStream("/sync/" + name)) {
      return in.readAllBytes();
    }
  }

  private static String text(String name) throws IOException {
    return new String(resource(name), StandardCharsets.US_ASCII);
  }

  @Test
  void pemBundle_certificatesInOrderToCrt_pkcs8RsaKeyAsPkcs1() throws IOException {
    TlsSplitter.Parts parts = TlsSplitter.split(resource("rsa-bundle.pem"), "bundle");

    assertThat(new String(parts.certificates(), StandardCharsets.US_ASCII))
        .isEqualTo(text("rsa.crt") + text("ca.crt"));
    assertThat(new String(parts.privateKey(), StandardCharsets.US_ASCII))
        .isEqualTo(text("rsa-pkcs1.key"));
  }

  @Test
  void pemWithEcKey_keyBecomesSec1WithItsNamedCurve() throws IOException {
    TlsSplitter.Parts parts = TlsSplitter.split(resource("ec-bundle.pem"), "bundle");

    assertThat(new String(parts.certificates(), StandardCharsets.US_ASCII))
        .isEqualTo(text("ec.crt"));
    assertThat(new String(parts.privateKey(), StandardCharsets.US_ASCII))
        .isEqualTo(text("ec-sec1.key"));
  }

  @Test
  void pkcs12WithEmptyPassword_rawOrBase64_givesTheSameSplitAsPem() throws IOException {
    byte[] pfx = resource("rsa-bundle.pfx");
    TlsSplitter.Parts raw = TlsSplitter.split(pfx, "bundle");
    TlsSplitter.Parts base64 =
        TlsSplitter.split(java.util.Base64.getEncoder().encode(pfx), "bundle");

    assertThat(new String(raw.privateKey(), StandardCharsets.US_ASCII))
        .isEqualTo(text("rsa-pkcs1.key"));
    // The key's chain; extra CA certificates without the trusted-cert attribute are not exposed by
    // the JDK's PKCS#12 reader (a known gap, see docs/sync.md).
    assertThat(new String(raw.certificates(), StandardCharsets.US_ASCII))
        .startsWith(text("rsa.crt"));
    assertThat(base64.privateKey()).isEqualTo(raw.privateKey());
    assertThat(base64.certificates()).isEqualTo(raw.certificates());
  }

  @Test
  void noKeyOrNoCertificateOrGarbage_failsNamingTheSourcePathOnly() throws IOException {
    String key = text("rsa-pkcs1.key");
    assertThatThrownBy(() -> TlsSplitter.split(resource("rsa.crt"), "certs/only"))
        .isInstanceOfSatisfying(
            SyncFailure.class,
            e -> assertThat(e.reason()).isEqualTo(SyncReason.REMOTE_SECRET_STORE_FETCH_FAILED))
        .hasMessageContaining("certs/only")
        .hasMessageContaining("no private key");
    assertThatThrownBy(() -> TlsSplitter.split(key.getBytes(StandardCharsets.US_ASCII), "key/only"))
        .hasMessageContaining("no certificate")
        .hasMessageNotContaining(key.substring(40, 80));
    assertThatThrownBy(
            () ->
                TlsSplitter.split("S3CR3T-canary-value".getBytes(StandardCharsets.UTF_8), "opaque"))
        .hasMessageContaining("opaque")
        .hasMessageNotContaining("S3CR3T");
  }

  @Test
  void partsToString_redactsTheKey() throws IOException {
    assertThat(TlsSplitter.split(resource("rsa-bundle.pem"), "b").toString())
        .doesNotContain("BEGIN");
  }
}
