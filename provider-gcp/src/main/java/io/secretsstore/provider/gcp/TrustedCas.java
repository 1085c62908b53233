// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import io.secretsstore.provider.tls.CaBundles;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The CAs the backend trusts for Google's endpoints: the JDK's, or only those of {@code
 * --gcp-ca-bundle}. One set serves both the gRPC channels and the HTTP client.
 */
final class TrustedCas {
  private final TrustManager[] trustManagers;
  private final SSLContext context;

  private TrustedCas(TrustManager[] trustManagers) {
    this.trustManagers = trustManagers;
    this.context = CaBundles.sslContext(trustManagers);
  }

  /** The bundle's CAs, or the JDK's when {@code bundle} is null. */
  static TrustedCas load(Path bundle) {
    return new TrustedCas(CaBundles.trustManagers(bundle, "--gcp-ca-bundle (GCP_CA_BUNDLE)"));
  }

  TrustManager[] trustManagers() {
    return trustManagers.clone();
  }

  SSLContext sslContext() {
    return context;
  }
}
