// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Splits a certificate bundle into what a {@code kubernetes.io/tls} Secret holds, as upstream does:
 * every certificate (PEM, in input order) into {@code tls.crt}, the private key into {@code
 * tls.key} as PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}). The input is PEM,
 * or PKCS#12 with an empty password (raw, or base64 as some backends return it). Errors name the
 * sourcePath only: the input is a private key.
 */
final class TlsSplitter {
  static final String CERT_KEY = "tls.crt";
  static final String KEY_KEY = "tls.key";

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final byte[] RSA_OID = HexFormat.of().parseHex("2a864886f70d010101");
  private static final byte[] EC_OID = HexFormat.of().parseHex("2a8648ce3d0201");

  private TlsSplitter() {}

  /** The certificates and the key, PEM-encoded. */
  record Parts(byte[] certificates, byte[] privateKey) {
    @Override
    public String toString() {
      return "TlsSplitter.Parts[<redacted>]";
    }
  }

  /**
   * Splits one file.
   *
   * @throws SyncFailure CONTROLLER_SYNC_ERROR naming the sourcePath when the content has no
   *     certificate, no key or an unsupported key
   */
  static Parts split(byte[] content, String sourcePath) {
    String text = new String(content, StandardCharsets.ISO_8859_1);
    try {
      if (text.contains("-----BEGIN ")) {
        return fromPem(text, sourcePath);
      }
      return fromPkcs12(content, sourcePath);
    } catch (IllegalArgumentException e) {
      throw invalid(sourcePath, "is not a PEM or PKCS#12 certificate with its private key");
    }
  }

  private static Parts fromPem(String text, String sourcePath) {
    List<byte[]> certificates = new ArrayList<>();
    String keyType = null;
    byte[] key = null;
    Matcher block = PEM_BLOCK.matcher(text);
    while (block.find()) {
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      switch (block.group(1)) {
        case "CERTIFICATE" -> certificates.add(der);
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
          keyType = block.group(1);
          key = der;
        }
        case "PRIVATE KEY" -> {
          byte[][] converted = fromPkcs8(der, sourcePath);
          keyType = new String(converted[0], StandardCharsets.US_ASCII);
          key = converted[1];
        }
        default -> {}
      }
    }
    return parts(certificates, keyType, key, sourcePath);
  }

  private static Parts fromPkcs12(byte[] content, String sourcePath) {
    byte[] der = content;
    String text = new String(content, StandardCharsets.ISO_8859_1).strip();
    if (!text.isEmpty() && text.matches("[A-Za-z0-9+/=\\s]+")) {
      der = Base64.getMimeDecoder().decode(text);
    }
    List<byte[]> certificates = new ArrayList<>();
    String keyType = null;
    byte[] key = null;
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(der), new char[0]);
      for (String alias : Collections.list(store.aliases())) {
        Key entry = store.isKeyEntry(alias) ? store.getKey(alias, new char[0]) : null;
        if (entry instanceof PrivateKey privateKey && key == null) {
          byte[][] converted = fromPkcs8(privateKey.getEncoded(), sourcePath);
          keyType = new String(converted[0], StandardCharsets.US_ASCII);
          key = converted[1];
          Certificate[] chain = store.getCertificateChain(alias);
          for (Certificate certificate : chain == null ? new Certificate[0] : chain) {
            certificates.add(certificate.getEncoded());
          }
        } else if (store.isCertificateEntry(alias)) {
          certificates.add(store.getCertificate(alias).getEncoded());
        }
      }
    } catch (SyncFailure e) {
      throw e;
    } catch (Exception e) {
      // The keystore's message could describe its content; only the fact is reported.
      throw invalid(sourcePath, "is neither PEM nor a PKCS#12 file with an empty password");
    }
    return parts(certificates, keyType, key, sourcePath);
  }

  /** The PEM type and DER of a PKCS#8 key in its traditional encoding. */
  private static byte[][] fromPkcs8(byte[] pkcs8, String sourcePath) {
    List<Der.Element> info = Der.parse(pkcs8).children();
    if (info.size() < 3
        || info.get(1).tag() != Der.SEQUENCE
        || info.get(2).tag() != Der.OCTET_STRING) {
      throw invalid(sourcePath, "holds a private key that is not valid PKCS#8");
    }
    List<Der.Element> algorithm = info.get(1).children();
    byte[] oid = algorithm.get(0).contents();
    byte[] inner = info.get(2).contents();
    if (java.util.Arrays.equals(oid, RSA_OID)) {
      return new byte[][] {"RSA PRIVATE KEY".getBytes(StandardCharsets.US_ASCII), inner};
    }
    if (java.util.Arrays.equals(oid, EC_OID) && algorithm.size() > 1) {
      return new byte[][] {
        "EC PRIVATE KEY".getBytes(StandardCharsets.US_ASCII), withCurve(inner, algorithm.get(1))
      };
    }
    throw invalid(sourcePath, "holds a private key that is neither RSA nor EC");
  }

  /** SEC1 with the named curve, as Go writes it: PKCS#8 moves the curve out of the key. */
  private static byte[] withCurve(byte[] sec1, Der.Element curve) {
    List<Der.Element> fields = Der.parse(sec1).children();
    if (fields.stream().anyMatch(f -> f.tag() == Der.CONTEXT_0)) {
      return sec1;
    }
    List<byte[]> parts = new ArrayList<>();
    parts.add(fields.get(0).encoded());
    parts.add(fields.get(1).encoded());
    parts.add(Der.encode(Der.CONTEXT_0, curve.encoded()));
    for (int i = 2; i < fields.size(); i++) {
      parts.add(fields.get(i).encoded());
    }
    return Der.encode(Der.SEQUENCE, parts.toArray(new byte[0][]));
  }

  private static Parts parts(
      List<byte[]> certificates,
      @Nullable String keyType,
      byte @Nullable [] key,
      String sourcePath) {
    if (certificates.isEmpty()) {
      throw invalid(sourcePath, "holds no certificate");
    }
    if (key == null || keyType == null) {
      throw invalid(sourcePath, "holds no private key");
    }
    StringBuilder pem = new StringBuilder();
    for (byte[] certificate : certificates) {
      pem.append(pem("CERTIFICATE", certificate));
    }
    return new Parts(
        pem.toString().getBytes(StandardCharsets.US_ASCII),
        pem(keyType, key).getBytes(StandardCharsets.US_ASCII));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static SyncFailure invalid(String sourcePath, String problem) {
    return SyncFailure.misconfigured(
        SyncReason.REMOTE_SECRET_STORE_FETCH_FAILED,
        "the file of sourcePath "
            + sourcePath
            + " "
            + problem
            + " (needed for a kubernetes.io/tls Secret)");
  }
}
