// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.tls;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust in the CA certificates of a PEM bundle, as operators pass them to the backends' {@code
 * --<cloud>-ca-bundle} flags (the emulators' CAs, or a private CA in front of a cloud endpoint). A
 * bundle replaces the JDK's CAs rather than adding to them, so an endpoint is trusted for exactly
 * what the operator named.
 */
public final class CaBundles {
  private CaBundles() {}

  /**
   * Trust managers for exactly the certificates of {@code bundle}, or for the JDK's CAs when it is
   * null.
   *
   * @param flag how the operator set the bundle, named in errors
   * @throws ProviderException FAILED_PRECONDITION naming {@code flag} when the file cannot be read
   *     or holds no certificate
   */
  public static TrustManager[] trustManagers(Path bundle, String flag) {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(bundle == null ? null : read(bundle, flag));
      return factory.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION, "cannot read " + flag + " as PEM CA certificates", e);
    }
  }

  /** A TLS context trusting {@code trustManagers} only. */
  public static SSLContext sslContext(TrustManager[] trustManagers) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw ProviderException.of(ErrorKind.INTERNAL, "the JDK has no TLS context", e);
    }
  }

  /**
   * A TLS context trusting exactly the certificates of {@code bundle} (the JDK's CAs when null).
   */
  public static SSLContext sslContext(Path bundle, String flag) {
    return sslContext(trustManagers(bundle, flag));
  }

  private static KeyStore read(Path bundle, String flag)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(bundle)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw ProviderException.of(ErrorKind.FAILED_PRECONDITION, flag + " holds no certificate");
      }
      return store;
    }
  }
}
