// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.ProviderException;

/**
 * TLS settings for Vault, one layer of env, flags or SecretProviderClass, combined as vault/api's
 * {@code ConfigureTLS} combines them: each layer only adds. A CA file or directory replaces the
 * trusted roots, a server name or client pair replaces the earlier one, and skip-verify can be
 * turned on by a later layer but never off again. Paths only, never key material: it may be logged.
 *
 * @param caCert a PEM file of trusted CAs, or empty
 * @param caDirectory a directory of PEM CA files, or empty
 * @param serverName the name to verify the server certificate against (and send as SNI), or empty
 * @param clientCert a PEM client certificate for mTLS, or empty
 * @param clientKey the PEM key of that certificate, or empty
 * @param skipVerify whether the server certificate is not verified at all
 */
record TlsConfig(
    String caCert,
    String caDirectory,
    String serverName,
    String clientCert,
    String clientKey,
    boolean skipVerify) {
  /** Nothing set: the system's trusted roots, verification on. */
  static final TlsConfig NONE = new TlsConfig("", "", "", "", "", false);

  /** vault/api's message, checked per layer as it does. */
  static final String CLIENT_PAIR = "both client cert and client key must be provided";

  TlsConfig {
    caCert = nullToEmpty(caCert);
    caDirectory = nullToEmpty(caDirectory);
    serverName = nullToEmpty(serverName);
    clientCert = nullToEmpty(clientCert);
    clientKey = nullToEmpty(clientKey);
  }

  /** Fails with vault/api's message when only one of the client certificate and key is set. */
  TlsConfig requireClientPair(String layer) {
    if (clientCert.isEmpty() != clientKey.isEmpty()) {
      throw ProviderException.invalidArgument(CLIENT_PAIR + " (" + layer + ")");
    }
    return this;
  }

  /** This layer with {@code later} applied on top. */
  TlsConfig overlay(TlsConfig later) {
    boolean newRoots = !later.caCert.isEmpty() || !later.caDirectory.isEmpty();
    boolean newClient = !later.clientCert.isEmpty();
    return new TlsConfig(
        newRoots ? later.caCert : caCert,
        newRoots ? later.caDirectory : caDirectory,
        later.serverName.isEmpty() ? serverName : later.serverName,
        newClient ? later.clientCert : clientCert,
        newClient ? later.clientKey : clientKey,
        skipVerify || later.skipVerify);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
