// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * A throw-away certificate authority and the server certificate it issued, generated at start, so
 * the emulators can serve HTTPS that a client trusts only when it is given the exported CA PEM.
 *
 * <p>The CA is separate from the server certificate so that tests can tell an unknown CA (a client
 * with default trust) from a wrong host name ({@link #forHosts}: same CA, other names). Private
 * keys stay inside this object: no getter returns them and {@link #toString} omits them. Keys are
 * EC P-256 from the JDK's own providers; BouncyCastle only builds the certificates, and is never
 * registered as a global security provider.
 */
public final class EmulatorTls {
  /** The names a loopback server answers to: what the default server certificate covers. */
  public static final List<String> LOOPBACK_HOSTS = List.of("localhost", "127.0.0.1", "::1");

  /** Long enough for a day of laptop use, short enough that a leaked PEM soon means nothing. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(1);

  private static final String SIGNATURE = "SHA256withECDSA";
  // Clocks of clients and this JVM may differ a little; do not start validity exactly now.
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Issuer ca;
  private final X509Certificate server;
  private final PrivateKey serverKey;
  private final List<String> hosts;
  private final Duration validity;
  // Built once: key stores encrypt with PBKDF2, which costs tens of milliseconds per server start.
  private KeyManagerFactory keyManagers;
  private SSLContext serverContext;
  private SSLContext clientContext;

  private EmulatorTls(
      Issuer ca,
      X509Certificate server,
      PrivateKey serverKey,
      List<String> hosts,
      Duration validity) {
    this.ca = ca;
    this.server = server;
    this.serverKey = serverKey;
    this.hosts = hosts;
    this.validity = validity;
  }

  /** A new CA and a server certificate for {@link #LOOPBACK_HOSTS}, valid for a day. */
  public static EmulatorTls generate() {
    return generate(DEFAULT_VALIDITY);
  }

  /** A new CA and a server certificate for {@link #LOOPBACK_HOSTS}, valid for {@code validity}. */
  public static EmulatorTls generate(Duration validity) {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive");
    }
    Issuer ca = Issuer.create(validity);
    return ca.issue(LOOPBACK_HOSTS, validity);
  }

  /**
   * A server certificate from the same CA for other names, e.g. {@code wrong.example}: a client
   * that trusts the CA must still refuse it when it connects to 127.0.0.1.
   */
  public EmulatorTls forHosts(String... hosts) {
    if (hosts.length == 0) {
      throw new IllegalArgumentException("at least one host name is needed");
    }
    return ca.issue(List.of(hosts), validity);
  }

  /** The DNS names and IP addresses the server certificate covers. */
  public List<String> hosts() {
    return hosts;
  }

  /** The CA certificate, which clients trust. */
  public X509Certificate caCertificate() {
    return ca.certificate;
  }

  /** The certificate the server presents. */
  public X509Certificate serverCertificate() {
    return server;
  }

  /** The CA certificate in PEM, e.g. for {@code VAULT_CACERT} or a Helm value. */
  public String caPem() {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(ca.certificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** Writes {@link #caPem()} to a file (parents created) and gives the file back. */
  public Path writeCaPem(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, caPem(), StandardCharsets.US_ASCII);
    return file;
  }

  /** Key managers presenting the server certificate, e.g. for a gRPC server's TLS credentials. */
  public synchronized KeyManagerFactory keyManagerFactory() {
    if (keyManagers != null) {
      return keyManagers;
    }
    try {
      // A throw-away password: the store never leaves memory.
      char[] password = HexFormat.of().formatHex(randomBytes(16)).toCharArray();
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "server", serverKey, password, new X509Certificate[] {server, ca.certificate});
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      keyManagers = factory;
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the server key store", e);
    }
  }

  /**
   * The TLS context of a server presenting the server certificate (one, shared by every server).
   */
  public synchronized SSLContext serverContext() {
    if (serverContext != null) {
      return serverContext;
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagerFactory().getKeyManagers(), null, null);
      serverContext = context;
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the server TLS context", e);
    }
  }

  /** A trust store holding the CA certificate and nothing else. */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("emulator-ca", ca.certificate);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the trust store", e);
    }
  }

  /** Trust managers that trust the CA and nothing else. */
  public TrustManagerFactory trustManagerFactory() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trustStore());
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the trust managers", e);
    }
  }

  /** The TLS context of a client that trusts the CA and nothing else. */
  public synchronized SSLContext clientContext() {
    if (clientContext != null) {
      return clientContext;
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagerFactory().getTrustManagers(), null);
      clientContext = context;
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the client TLS context", e);
    }
  }

  /** Names the hosts and the expiry; never key material. */
  @Override
  public String toString() {
    return "EmulatorTls[hosts=" + hosts + ", notAfter=" + server.getNotAfter().toInstant() + "]";
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 keys are not available", e);
    }
  }

  /** The CA: its certificate and the key it signs server certificates with. */
  private static final class Issuer {
    private final X509Certificate certificate;
    private final PrivateKey key;

    private Issuer(X509Certificate certificate, PrivateKey key) {
      this.certificate = certificate;
      this.key = key;
    }

    static Issuer create(Duration validity) {
      KeyPair keys = newKeyPair();
      // A unique name per run, so certificates of two runs are never mistaken for each other.
      X500Name name =
          new X500Name(
              "CN=secrets-store-provider emulator CA " + HexFormat.of().formatHex(randomBytes(4)));
      try {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = builder(name, name, keys.getPublic(), validity);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(
            Extension.subjectKeyIdentifier,
            false,
            extensions.createSubjectKeyIdentifier(keys.getPublic()));
        return new Issuer(sign(builder, keys.getPrivate()), keys.getPrivate());
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("cannot create the emulator CA", e);
      }
    }

    EmulatorTls issue(List<String> hosts, Duration validity) {
      KeyPair keys = newKeyPair();
      try {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X500Name subject = new X500Name("CN=" + hosts.get(0).replace(":", "."));
        X509v3CertificateBuilder builder =
            builder(
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                subject,
                keys.getPublic(),
                validity);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(
            Extension.subjectAlternativeName, false, subjectAlternativeNames(hosts));
        builder.addExtension(
            Extension.subjectKeyIdentifier,
            false,
            extensions.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            extensions.createAuthorityKeyIdentifier(certificate));
        return new EmulatorTls(
            this, sign(builder, key), keys.getPrivate(), List.copyOf(hosts), validity);
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("cannot issue the emulator server certificate", e);
      }
    }

    private static GeneralNames subjectAlternativeNames(List<String> hosts) {
      GeneralName[] names = new GeneralName[hosts.size()];
      for (int i = 0; i < names.length; i++) {
        String host = hosts.get(i);
        boolean ip = IPAddress.isValid(host);
        names[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host);
      }
      return new GeneralNames(names);
    }

    private static X509v3CertificateBuilder builder(
        X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
      Instant now = Instant.now();
      BigInteger serial = new BigInteger(1, randomBytes(16));
      return new JcaX509v3CertificateBuilder(
          issuer,
          serial,
          Date.from(now.minus(BACKDATE)),
          Date.from(now.plus(validity)),
          subject,
          key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
        throws GeneralSecurityException {
      try {
        return new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
      } catch (OperatorCreationException e) {
        throw new GeneralSecurityException("cannot sign with " + SIGNATURE, e);
      }
    }
  }
}
