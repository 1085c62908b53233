// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Client certificate material for the emulator's mutual TLS, as files a Vault client is given
 * ({@code VAULT_CLIENT_CERT}, {@code VAULT_CLIENT_KEY}, or the provider's {@code
 * vaultTLSClientCertPath} and {@code vaultTLSClientKeyPath}).
 *
 * @param certificate the client certificate in PEM
 * @param privateKey its EC private key in PKCS#8 PEM ({@code BEGIN PRIVATE KEY})
 */
public record ClientCertificate(Path certificate, Path privateKey) {
  public ClientCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }
}
