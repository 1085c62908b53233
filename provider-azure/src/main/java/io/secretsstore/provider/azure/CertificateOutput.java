// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a PKCS#12 certificate-backed secret into upstream's PEM (reference A4): every private key
 * as PKCS#8 {@code PRIVATE KEY} with upstream's bytes ({@link Pkcs8Keys}) first, then the
 * certificates, ordered leaf to root by authority and subject key identifiers when asked and the
 * chain is complete, else in the file's order.
 */
final class CertificateOutput {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateOutput.class);
  // Key Vault's PFX has no password. An instance of BouncyCastle, never registered globally.
  private static final char[] NO_PASSWORD = new char[0];
  private static final java.security.Provider BC =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();

  /** The PEM parts: the keys, and the certificates in output order. */
  record Parts(String keys, String certificates) {
    String combined() {
      return keys + certificates;
    }
  }

  private CertificateOutput() {}

  /**
   * Decodes a PFX. The MAC is not checked: the file came from Key Vault over TLS, and files written
   * with either encoding of the empty password (Go's and the JDK's differ) must decode.
   */
  static Parts fromPkcs12(byte[] pfx, boolean constructChain, String context) {
    List<byte[]> keys = new ArrayList<>();
    List<X509CertificateHolder> certificates = new ArrayList<>();
    PKCSException last = null;
    // The empty password has two encodings in the wild (no bytes, or a UTF-16 NUL): try both.
    for (boolean wrongZero : new boolean[] {false, true}) {
      keys.clear();
      certificates.clear();
      try {
        read(
            pfx,
            new JcePKCSPBEInputDecryptorProviderBuilder()
                .setProvider(BC)
                .setTryWrongPKCS12Zero(wrongZero)
                .build(NO_PASSWORD),
            keys,
            certificates);
        last = null;
        break;
      } catch (PKCSException e) {
        last = e;
      } catch (IOException | RuntimeException e) {
        throw notPkcs12(context);
      }
    }
    if (last != null) {
      throw notPkcs12(context);
    }
    StringBuilder keyPem = new StringBuilder();
    for (byte[] key : keys) {
      keyPem.append(Pem.block("PRIVATE KEY", key));
    }
    List<X509CertificateHolder> ordered =
        constructChain ? leafToRoot(certificates, context) : certificates;
    StringBuilder certificatePem = new StringBuilder();
    try {
      for (X509CertificateHolder certificate : ordered) {
        certificatePem.append(Pem.block("CERTIFICATE", certificate.getEncoded()));
      }
    } catch (IOException e) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          context + ": a certificate of the secret cannot be encoded");
    }
    return new Parts(keyPem.toString(), certificatePem.toString());
  }

  private static void read(
      byte[] pfx,
      InputDecryptorProvider decryptor,
      List<byte[]> keys,
      List<X509CertificateHolder> certificates)
      throws IOException, PKCSException {
    PKCS12PfxPdu pdu = new PKCS12PfxPdu(pfx);
    for (var info : pdu.getContentInfos()) {
      ASN1ObjectIdentifier type = info.getContentType();
      PKCS12SafeBagFactory factory =
          type.equals(PKCSObjectIdentifiers.encryptedData)
              ? new PKCS12SafeBagFactory(info, decryptor)
              : new PKCS12SafeBagFactory(info);
      for (PKCS12SafeBag bag : factory.getSafeBags()) {
        Object value = bag.getBagValue();
        if (value instanceof X509CertificateHolder certificate) {
          certificates.add(certificate);
        } else if (value instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
          keys.add(Pkcs8Keys.asUpstream(encrypted.decryptPrivateKeyInfo(decryptor).getEncoded()));
        } else if (value instanceof PrivateKeyInfo key) {
          keys.add(Pkcs8Keys.asUpstream(key.getEncoded()));
        }
      }
    }
  }

  private static ProviderException notPkcs12(String context) {
    return ProviderException.of(
        ErrorKind.FAILED_PRECONDITION,
        context + ": the certificate-backed secret is not a PKCS#12 file " + "without a password");
  }

  /**
   * The certificates from the leaf (the one no other names as its issuer) to the root, following
   * each authority key identifier to the subject key identifier that matches it. When that does not
   * reach every certificate (a missing intermediate, missing identifiers, several leaves), the
   * file's order is kept, as upstream does, with a warning.
   */
  static List<X509CertificateHolder> leafToRoot(
      List<X509CertificateHolder> certificates, String context) {
    if (certificates.size() <= 1) {
      return certificates;
    }
    List<X509CertificateHolder> leaves = new ArrayList<>();
    for (X509CertificateHolder candidate : certificates) {
      byte[] ski = ski(candidate);
      boolean issuesAnother =
          ski != null
              && certificates.stream()
                  .anyMatch(other -> other != candidate && Arrays.equals(ski, aki(other)));
      if (!issuesAnother) {
        leaves.add(candidate);
      }
    }
    if (leaves.size() == 1) {
      List<X509CertificateHolder> chain = new ArrayList<>(List.of(leaves.get(0)));
      X509CertificateHolder current = leaves.get(0);
      while (true) {
        byte[] aki = aki(current);
        X509CertificateHolder issuer = null;
        for (X509CertificateHolder other : certificates) {
          if (aki != null
              && other != current
              && !chain.contains(other)
              && Arrays.equals(aki, ski(other))) {
            issuer = other;
            break;
          }
        }
        if (issuer == null) {
          break;
        }
        chain.add(issuer);
        current = issuer;
      }
      if (chain.size() == certificates.size()) {
        return chain;
      }
    }
    LOG.atWarn()
        .addKeyValue("object", context)
        .addKeyValue("certificates", certificates.size())
        .log(
            "the certificate chain is incomplete; certificates are written in their original order");
    return certificates;
  }

  private static byte[] ski(X509CertificateHolder certificate) {
    Extension extension = certificate.getExtension(Extension.subjectKeyIdentifier);
    return extension == null
        ? null
        : SubjectKeyIdentifier.getInstance(extension.getParsedValue()).getKeyIdentifier();
  }

  private static byte[] aki(X509CertificateHolder certificate) {
    Extension extension = certificate.getExtension(Extension.authorityKeyIdentifier);
    return extension == null
        ? null
        : AuthorityKeyIdentifier.getInstance(extension.getParsedValue()).getKeyIdentifierOctets();
  }
}
