// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretsstore.provider.emulators.EmulatorError;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
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
 * The PKI secrets engine: a root CA of its own per mount, and {@code issue/<role>} issuing real EC
 * P-256 certificates with their private keys, without a lease, as Vault does.
 */
final class PkiEngine implements SecretsEngine {
  static final String TYPE = "pki";

  private static final String SIGNATURE = "SHA256withECDSA";
  // Vault backdates certificates by 30 seconds against clock skew.
  private static final Duration BACKDATE = Duration.ofSeconds(30);
  private static final Duration CA_VALIDITY = Duration.ofDays(365);
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9*_.-]+");

  private final Map<String, Duration> roles = new ConcurrentHashMap<>();
  private final AtomicInteger issued;
  private final X509Certificate ca;
  private final PrivateKey caKey;
  private final String caPem;

  PkiEngine(String mount, AtomicInteger issued) {
    this.issued = issued;
    KeyPair keys = newKeyPair();
    X500Name name = new X500Name("CN=" + mount.replace(",", " ") + " emulator root CA");
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          builder(name, name, keys.getPublic(), Instant.now().plus(CA_VALIDITY));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      ca = sign(builder, keys.getPrivate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create the PKI mount's CA", e);
    }
    caKey = keys.getPrivate();
    caPem = pem(ca);
  }

  @Override
  public String type() {
    return TYPE;
  }

  void addRole(String role, Duration maxTtl) {
    if (maxTtl.isNegative() || maxTtl.isZero()) {
      throw new IllegalArgumentException("maxTtl must be positive");
    }
    roles.put(role, maxTtl);
  }

  X509Certificate caCertificate() {
    return ca;
  }

  @Override
  public EmulatorResponse read(String namespace, String path, EmulatorRequest request) {
    if (path.startsWith("issue/")) {
      throw SecretsEngine.unsupported();
    }
    throw SecretsEngine.notFound();
  }

  @Override
  public EmulatorResponse write(String namespace, String path, EmulatorRequest request) {
    if (!path.startsWith("issue/")) {
      throw SecretsEngine.notFound();
    }
    String role = path.substring("issue/".length());
    Duration maxTtl = roles.get(role);
    if (maxTtl == null) {
      throw new EmulatorError(400, "unknown role: " + role);
    }
    JsonNode body = request.json();
    String commonName = body.path("common_name").asText("").trim();
    if (commonName.isEmpty()) {
      throw new EmulatorError(
          400, "the common_name field is required, unless require_cn is set to false");
    }
    Duration ttl = body.hasNonNull("ttl") ? VaultDurations.parse(body.get("ttl"), "ttl") : maxTtl;
    if (ttl.compareTo(maxTtl) > 0) {
      ttl = maxTtl;
    }
    List<String> names = new ArrayList<>();
    if (HOST_NAME.matcher(commonName).matches()) {
      // Like Vault, a host-like common name is also a subject alternative name.
      names.add(commonName);
    }
    names.addAll(list(body.path("alt_names")));
    names.addAll(list(body.path("ip_sans")));
    Map<String, Object> data =
        issue(
            commonName, names, Instant.now().plus(ttl), body.path("private_key_format").asText(""));
    issued.incrementAndGet();
    return Envelope.secret(data, "", 0, false);
  }

  /**
   * A certificate for {@code names} and its key, as {@code issue/<role>} answers ({@code pkcs8} or
   * SEC1 key PEM).
   */
  Map<String, Object> issue(
      String commonName, List<String> names, Instant notAfter, String keyFormat) {
    KeyPair keys = newKeyPair();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
      X509v3CertificateBuilder builder =
          builder(
              X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
              subject,
              keys.getPublic(),
              notAfter);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(
              KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
      X509Certificate certificate = sign(builder, caKey);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("certificate", pem(certificate));
      data.put("issuing_ca", caPem);
      data.put("ca_chain", List.of(caPem));
      data.put(
          "private_key",
          "pkcs8".equals(keyFormat) ? pkcs8(keys.getPrivate()) : pem(keys.getPrivate()));
      data.put("private_key_type", "ec");
      data.put("serial_number", serial(certificate.getSerialNumber()));
      data.put("expiration", certificate.getNotAfter().toInstant().getEpochSecond());
      return data;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a certificate", e);
    }
  }

  private static List<String> list(JsonNode value) {
    List<String> items = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(v -> items.add(v.asText().trim()));
    } else if (value.isTextual()) {
      for (String item : value.asText().split(",")) {
        items.add(item.trim());
      }
    }
    items.removeIf(String::isEmpty);
    return items;
  }

  private static GeneralNames alternativeNames(List<String> names) {
    List<GeneralName> general = new ArrayList<>();
    for (String name : names) {
      if (!IPAddress.isValid(name) && !HOST_NAME.matcher(name).matches()) {
        throw new EmulatorError(
            400, "subject alternative name " + name + " not allowed by this role");
      }
      GeneralName entry =
          new GeneralName(
              IPAddress.isValid(name) ? GeneralName.iPAddress : GeneralName.dNSName, name);
      if (!general.contains(entry)) {
        general.add(entry);
      }
    }
    return new GeneralNames(general.toArray(GeneralName[]::new));
  }

  /** Vault writes serial numbers as colon-separated hex pairs. */
  private static String serial(BigInteger serial) {
    String hex = HexFormat.of().formatHex(serial.toByteArray());
    return String.join(":", hex.split("(?<=\\G..)"));
  }

  private static String pem(Object value) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString().trim();
  }

  private static String pkcs8(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----";
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), Envelope.RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 keys are not available", e);
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, PublicKey key, Instant notAfter) {
    BigInteger serial = new BigInteger(1, randomBytes());
    return new JcaX509v3CertificateBuilder(
        issuer,
        serial,
        Date.from(Instant.now().minus(BACKDATE)),
        Date.from(notAfter),
        subject,
        key);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    Envelope.RANDOM.nextBytes(bytes);
    return bytes;
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
