// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.ProviderException;
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
 * The CAs the backend trusts for Google's endpoints: the JDK's, or only those of {@code
 * --gcp-ca-bundle}. One set serves both the gRPC channels and the HTTP client.
 */
final class TrustedCas {
  private final TrustManager[] trustManagers;
  private final SSLContext context;

  private TrustedCas(TrustManager[] trustManagers, SSLContext context) {
    this.trustManagers = trustManagers;
    this.context = context;
  }

  /** The bundle's CAs, or the JDK's when {@code bundle} is null. */
  static TrustedCas load(Path bundle) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (bundle == null) {
        factory.init((KeyStore) null);
      } else {
        factory.init(read(bundle));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return new TrustedCas(factory.getTrustManagers(), context);
    } catch (IOException | GeneralSecurityException e) {
      throw ProviderException.of(ErrorKind.FAILED_PRECONDITION, "cannot read --gcp-ca-bundle (GCP_CA_BUNDLE)", e);
    }
  }

  private static KeyStore read(Path bundle) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(bundle)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw ProviderException.of(ErrorKind.FAILED_PRECONDITION, "--gcp-ca-bundle holds no certificate");
      }
      return store;
    }
  }

  TrustManager[] trustManagers() {
    return trustManagers.clone();
  }

  SSLContext sslContext() {
    return context;
  }
}
