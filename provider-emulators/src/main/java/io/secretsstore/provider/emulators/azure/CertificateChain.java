// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * A real certificate chain (root, optional intermediates, leaf with its private key), each
 * certificate carrying subject and authority key identifiers as Key Vault's issuers write them. Key
 * Vault stores the chain as uploaded; {@link #pem} and {@link #pkcs12} take the certificate order
 * explicitly, so tests can store shuffled and incomplete chains.
 */
public final class CertificateChain {
  private static final SecureRandom RANDOM = new SecureRandom();
  // An instance, never registered globally: the PKCS#12 PBE ciphers are not all in the JDK.
  private static final java.security.Provider BC =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();
  private static final Duration VALIDITY = Duration.ofDays(30);
  // Key Vault's PFX has no password: an empty one, as Go's pkcs12 and the SDKs read it.
  private static final char[] NO_PASSWORD = new char[0];

  private final PrivateKey key;
  private final List<X509Certificate> certificates;

  private CertificateChain(PrivateKey key, List<X509Certificate> certificates) {
    this.key = key;
    this.certificates = List.copyOf(certificates);
  }

  /**
   * A leaf issued by {@code intermediates} intermediate CAs under a self-signed root.
   *
   * @param commonName the leaf's CN
   * @param keyType {@code RSA} (2048 bits) or {@code EC} (P-256); the CAs use the same type
   */
  public static CertificateChain generate(String commonName, String keyType, int intermediates) {
    try {
      KeyPair rootKeys = keyPair(keyType);
      X500Name rootName = new X500Name("CN=" + commonName + " Root CA");
      X509Certificate root =
          certificate(rootName, rootKeys, rootName, rootKeys, null, true, keyType);
      X509Certificate issuer = root;
      KeyPair issuerKeys = rootKeys;
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(root);
      for (int i = 1; i <= intermediates; i++) {
        KeyPair keys = keyPair(keyType);
        X500Name name = new X500Name("CN=" + commonName + " Intermediate CA " + i);
        issuer =
            certificate(
                name,
                keys,
                new X500Name(issuer.getSubjectX500Principal().getName()),
                issuerKeys,
                issuer,
                true,
                keyType);
        issuerKeys = keys;
        chain.add(0, issuer);
      }
      KeyPair leafKeys = keyPair(keyType);
      X509Certificate leaf =
          certificate(
              new X500Name("CN=" + commonName),
              leafKeys,
              new X500Name(issuer.getSubjectX500Principal().getName()),
              issuerKeys,
              issuer,
              false,
              keyType);
      chain.add(0, leaf);
      return new CertificateChain(leafKeys.getPrivate(), chain);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot generate a certificate chain", e);
    }
  }

  /** The certificates, leaf first, root last. */
  public List<X509Certificate> certificates() {
    return certificates;
  }

  public X509Certificate leaf() {
    return certificates.get(0);
  }

  /** The leaf's private key. */
  public PrivateKey key() {
    return key;
  }

  /** The private key as PKCS#8 {@code PRIVATE KEY} PEM. */
  public String keyPem() {
    try {
      return writePem(List.of(new JcaPKCS8Generator(key, null).generate()));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException("cannot encode the key", e);
    }
  }

  /** The certificates as {@code CERTIFICATE} PEM blocks, in the given order. */
  public static String certificatesPem(List<X509Certificate> order) {
    return writePem(new ArrayList<>(order));
  }

  /**
   * Key Vault's {@code application/x-pem-file} content: the key, then the certificates in {@code
   * order}.
   */
  public String pem(List<X509Certificate> order) {
    return keyPem() + certificatesPem(order);
  }

  /**
   * Key Vault's {@code application/x-pkcs12} content (no password): the key, then certificate bags
   * in {@code order}.
   */
  public byte[] pkcs12(List<X509Certificate> order) {
    try {
      PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
      for (X509Certificate certificate : order) {
        pfx.addData(new JcaPKCS12SafeBagBuilder(certificate).build());
      }
      pfx.addData(
          new JcaPKCS12SafeBagBuilder(
                  key,
                  new JcePKCSPBEOutputEncryptorBuilder(
                          PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                      .setProvider(BC)
                      .build(NO_PASSWORD))
              .build());
      PKCS12PfxPdu pdu =
          pfx.build(new JcePKCS12MacCalculatorBuilder().setProvider(BC), NO_PASSWORD);
      return pdu.getEncoded();
    } catch (IOException | OperatorCreationException | PKCSException e) {
      throw new IllegalStateException("cannot build a PKCS#12 file", e);
    }
  }

  private static String writePem(List<Object> objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString().replace("\r\n", "\n");
  }

  static KeyPair keyPair(String keyType) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType);
    if (keyType.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    } else {
      generator.initialize(2048, RANDOM);
    }
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(
      X500Name subject,
      KeyPair subjectKeys,
      X500Name issuer,
      KeyPair issuerKeys,
      X509Certificate issuerCertificate,
      boolean ca,
      String keyType)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now().minus(Duration.ofMinutes(5));
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
            Date.from(now),
            Date.from(now.plus(VALIDITY)),
            subject,
            subjectKeys.getPublic());
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    builder.addExtension(
        Extension.subjectKeyIdentifier,
        false,
        extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
    builder.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        issuerCertificate == null
            ? extensions.createAuthorityKeyIdentifier(subjectKeys.getPublic())
            : extensions.createAuthorityKeyIdentifier(issuerCertificate));
    String algorithm = keyType.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    X509CertificateHolder holder =
        builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate()));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }
}
