// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.mount.ProviderException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a SecretProviderClass may point the provider at TLS files ({@code vaultCACertPath}, {@code
 * vaultCADirectory}, {@code vaultTLSClientCertPath}, {@code vaultTLSClientKeyPath}): only under the
 * directories of {@code --vault-spc-file-dirs}, which the operator fills from a Secret or ConfigMap
 * as vault-helm users do. The check is on the real path, with symlinks and {@code ..} resolved, and
 * the resolved path is what the provider then opens, so neither a link inside a declared directory
 * nor a later swap of one can point it at another file of the provider pod (its own token, say).
 */
final class SpcFileDirs {
  /** The flag, and the Vault chart value that sets it (and mounts the directories). */
  static final OperatorSetting SETTING =
      new OperatorSetting(
          "--vault-spc-file-dirs", "DIR", "secrets-store-provider-vault: vault.tlsFileDirs");

  private final List<Path> dirs;
  private final boolean lexical;

  /**
   * @param dirs the declared directories
   * @param lexical for the migration check, which runs away from the provider pod: paths are only
   *     normalised, not resolved against the file system
   */
  SpcFileDirs(List<Path> dirs, boolean lexical) {
    this.dirs = dirs.stream().map(dir -> dir.toAbsolutePath().normalize()).toList();
    this.lexical = lexical;
  }

  /**
   * The SecretProviderClass's TLS layer with every named path replaced by its real path, or a
   * refusal naming the key.
   */
  TlsConfig resolve(TlsConfig tls) {
    return new TlsConfig(
        path(VaultParameters.CA_CERT, tls.caCert()),
        path(VaultParameters.CA_DIRECTORY, tls.caDirectory()),
        tls.serverName(),
        path(VaultParameters.CLIENT_CERT, tls.clientCert()),
        path(VaultParameters.CLIENT_KEY, tls.clientKey()),
        tls.skipVerify());
  }

  private String path(String key, String value) {
    if (value.isEmpty()) {
      return value;
    }
    Path named;
    try {
      named = Path.of(value);
    } catch (InvalidPathException e) {
      throw ProviderException.invalidArgument(key + " is not a valid path");
    }
    if (!named.isAbsolute()) {
      throw ProviderException.invalidArgument(
          key + " must be an absolute path in the provider pod");
    }
    Path normal = named.normalize();
    if (under(normal, dirs).isEmpty()) {
      throw refused(key, normal.getParent());
    }
    if (lexical) {
      return normal.toString();
    }
    Path real;
    try {
      real = normal.toRealPath();
    } catch (IOException e) {
      throw ProviderException.invalidArgument(
          key + " names no file in the provider pod: mount it under " + SETTING.flag());
    }
    // A declared directory may itself be a link (a Secret volume's ..data): compare real with real.
    if (under(real, dirs.stream().map(SpcFileDirs::real).toList()).isEmpty()) {
      throw refused(key, null);
    }
    return real.toString();
  }

  private static Optional<Path> under(Path path, List<Path> roots) {
    return roots.stream().filter(path::startsWith).findFirst();
  }

  private static Path real(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return dir;
    }
  }

  /**
   * Names the key and the flag; suggests the file's own directory when it is a plain path (paths
   * are not secrets).
   */
  private static ProviderException refused(String key, Path suggested) {
    String dir =
        suggested != null
                && suggested.getParent() != null
                && io.secretsstore.provider.mount.SafeText.isPlainName(
                    suggested.toString().substring(1))
            ? suggested.toString()
            : SETTING.value();
    return ProviderException.refusedBySetting(
        key
            + " is not under a directory the operator declared for SecretProviderClass TLS "
            + "files (symlinks and .. resolved)",
        new OperatorSetting(SETTING.flag(), dir, SETTING.chartValue()));
  }
}
