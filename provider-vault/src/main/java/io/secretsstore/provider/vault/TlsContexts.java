// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the SSLContext for a {@link TlsConfig}: trusted roots from a CA file or directory (else
 * the system's), a client certificate for mTLS, verification against a configured server name, or
 * no verification when the operator allowed it. Errors name the setting, never file contents.
 */
final class TlsContexts {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private TlsContexts() {}

  static SSLContext create(TlsConfig tls) {
    try {
      TrustManager trust = tls.skipVerify() ? new TrustAll() : trustManager(tls);
      KeyManagerFactory keys = tls.clientCert().isEmpty() ? null : keyManagers(tls);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw failure(
          "the TLS settings for Vault cannot be used (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static TrustManager trustManager(TlsConfig tls) throws GeneralSecurityException {
    KeyStore roots = null;
    if (!tls.caCert().isEmpty()) {
      roots = store(certificates(Path.of(tls.caCert()), "the Vault CA certificate file"));
    } else if (!tls.caDirectory().isEmpty()) {
      List<Certificate> all = new ArrayList<>();
      try (Stream<Path> files = Files.list(Path.of(tls.caDirectory()))) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          all.addAll(certificates(file, "a file in the Vault CA directory"));
        }
      } catch (IOException e) {
        throw failure("the Vault CA directory cannot be read");
      }
      roots = store(all);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(roots);
    X509TrustManager standard = (X509TrustManager) factory.getTrustManagers()[0];
    return tls.serverName().isEmpty() ? standard : new NamedServer(standard, tls.serverName());
  }

  private static KeyStore store(Collection<? extends Certificate> certificates)
      throws GeneralSecurityException {
    KeyStore store = emptyStore();
    int i = 0;
    for (Certificate certificate : certificates) {
      store.setCertificateEntry("ca-" + i++, certificate);
    }
    return store;
  }

  private static KeyManagerFactory keyManagers(TlsConfig tls) throws GeneralSecurityException {
    List<Certificate> chain =
        new ArrayList<>(
            certificates(Path.of(tls.clientCert()), "the Vault client certificate file"));
    if (chain.isEmpty()) {
      throw failure("the Vault client certificate file holds no certificate");
    }
    PrivateKey key = privateKey(Path.of(tls.clientKey()));
    KeyStore store = emptyStore();
    store.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, new char[0]);
    return factory;
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create a key store");
    }
    return store;
  }

  private static Collection<? extends Certificate> certificates(Path file, String what) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw failure(what + " cannot be read");
    } catch (CertificateException e) {
      throw failure(what + " does not hold PEM certificates");
    }
  }

  /** A PKCS#8 key ({@code BEGIN PRIVATE KEY}) of type RSA, EC or Ed25519. */
  private static PrivateKey privateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw failure("the Vault client key file cannot be read");
    }
    Matcher pem = PEM.matcher(text);
    if (!pem.find() || !pem.group(1).equals("PRIVATE KEY")) {
      throw failure("the Vault client key file must hold a PKCS#8 key (BEGIN PRIVATE KEY)");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // Try the next algorithm: PKCS#8 names it inside, but KeyFactory wants it up front.
      }
    }
    throw failure("the Vault client key file holds a key of an unsupported type");
  }

  private static ProviderException failure(String message) {
    return ProviderException.of(ErrorKind.FAILED_PRECONDITION, message);
  }

  /** A trust manager of a client: it never judges client certificates, since it serves none. */
  private abstract static class ClientSideTrustManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("not a server");
    }
  }

  /**
   * vault/api's {@code TLSServerName}: the chain is verified as usual, the name against the
   * configured one.
   */
  private static final class NamedServer extends ClientSideTrustManager {
    private final X509TrustManager standard;
    private final String serverName;

    NamedServer(X509TrustManager standard, String serverName) {
      this.standard = standard;
      this.serverName = serverName.toLowerCase(Locale.ROOT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      standard.checkServerTrusted(chain, authType);
      if (!matches(chain[0])) {
        throw new CertificateException(
            "the server certificate does not name the configured server name");
      }
    }

    private boolean matches(X509Certificate certificate) throws CertificateException {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return false;
      }
      for (List<?> name : names) {
        Object value = name.get(1);
        int type = (Integer) name.get(0);
        if ((type == 2 || type == 7)
            && value instanceof String text
            && matchesName(text.toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
      return false;
    }

    private boolean matchesName(String pattern) {
      if (pattern.startsWith("*.")) {
        int dot = serverName.indexOf('.');
        return dot > 0 && serverName.substring(dot).equals(pattern.substring(1));
      }
      return pattern.equals(serverName);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return standard.getAcceptedIssuers();
    }
  }

  /** Skip-verify, only ever reached when the operator allowed it. */
  private static final class TrustAll extends ClientSideTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
