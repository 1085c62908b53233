// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The TLS server name of AKS's identity-binding proxy, derived as upstream does when {@code
 * --sni-name} is not given: the API server's certificate names the cluster in a SAN {@code
 * hcp-kubernetes.<id>.svc.cluster.local}, and the name is {@code a} + base32hex(SHA-256({@code
 * "identity-binding"} + id)) + {@code .ests.aks}, lower case.
 */
final class ApiServerSni {
  static final String API_SERVER = "kubernetes.default.svc.cluster.local";
  private static final String SAN_PREFIX = "hcp-kubernetes.";
  private static final String SAN_SUFFIX = ".svc.cluster.local";
  private static final int TIMEOUT_MILLIS = 5_000;
  private static final String BASE32_HEX = "0123456789abcdefghijklmnopqrstuv";

  private ApiServerSni() {}

  /**
   * Connects to the in-cluster API server ({@code KUBERNETES_SERVICE_PORT}, default 443) and
   * derives the name.
   */
  static String derive(SSLContext ssl) {
    String port = System.getenv("KUBERNETES_SERVICE_PORT");
    return derive(
        ssl,
        API_SERVER,
        new InetSocketAddress(
            API_SERVER, port == null || !port.matches("\\d{1,5}") ? 443 : Integer.parseInt(port)));
  }

  /**
   * Derives the name from the certificate the server at {@code address} presents for {@code host}.
   */
  static String derive(SSLContext ssl, String host, InetSocketAddress address) {
    X509Certificate leaf;
    try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket()) {
      socket.connect(address, TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(host)));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      Certificate[] chain = socket.getSession().getPeerCertificates();
      leaf = (X509Certificate) chain[0];
    } catch (IOException | ClassCastException e) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          "cannot derive the SNI name of the identity binding token proxy from "
              + "the API server's certificate ("
              + e.getClass().getSimpleName()
              + "); set --azure-token-proxy-sni-name");
    }
    return serverName(clusterId(leaf));
  }

  private static String clusterId(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (GeneralSecurityException e) {
      names = null;
    }
    if (names != null) {
      for (List<?> name : names) {
        // 2 is a dNSName.
        if (Integer.valueOf(2).equals(name.get(0))
            && name.get(1) instanceof String dns
            && dns.startsWith(SAN_PREFIX)
            && dns.endsWith(SAN_SUFFIX)
            && dns.length() > SAN_PREFIX.length() + SAN_SUFFIX.length()) {
          return dns.substring(SAN_PREFIX.length(), dns.length() - SAN_SUFFIX.length());
        }
      }
    }
    throw ProviderException.of(
        ErrorKind.FAILED_PRECONDITION,
        "the API server's certificate names no cluster ("
            + SAN_PREFIX
            + "<id>"
            + SAN_SUFFIX
            + "); set --azure-token-proxy-sni-name");
  }

  /** The proxy's server name for a cluster id. */
  static String serverName(String clusterId) {
    byte[] hash;
    try {
      hash =
          MessageDigest.getInstance("SHA-256")
              .digest(("identity-binding" + clusterId).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    return ("a" + base32Hex(hash) + ".ests.aks").toLowerCase(Locale.ROOT);
  }

  /** RFC 4648 base32 with the extended hex alphabet, no padding. */
  private static String base32Hex(byte[] data) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32_HEX.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
      buffer &= (1 << bits) - 1;
    }
    if (bits > 0) {
      out.append(BASE32_HEX.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }
}
