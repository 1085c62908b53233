// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.cli.DurationConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The backend's {@code serve} flags. Precedence is upstream's: environment ({@code VAULT_ADDR} and
 * the other {@code VAULT_*} variables vault/api reads, except {@code VAULT_TOKEN}, since the
 * provider never uses a token of its own) below flags below the SecretProviderClass, except that
 * the SecretProviderClass may not weaken security unless a {@code --vault-allow-*} flag says it
 * may.
 */
final class VaultOptions {
  static final Path NAMESPACE_FILE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
  private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");

  @Option(
      names = "--vault-addr",
      description =
          "Vault address when the SecretProviderClass sets no vaultAddress (env VAULT_ADDR; default https://127.0.0.1:8200).")
  String address;

  @Option(
      names = "--vault-mount",
      defaultValue = "kubernetes",
      description =
          "Auth mount when the SecretProviderClass sets none (default: ${DEFAULT-VALUE}).")
  String mount;

  @Option(
      names = "--vault-namespace",
      description =
          "Vault Enterprise namespace when the SecretProviderClass sets none (env VAULT_NAMESPACE).")
  String namespace;

  @Option(
      names = {"--vault-ca-cert", "--vault-tls-ca-cert"},
      description = "PEM file of CAs trusted for Vault (env VAULT_CACERT).")
  String caCert;

  @Option(
      names = {"--vault-ca-directory", "--vault-tls-ca-directory"},
      description = "Directory of PEM CA files trusted for Vault (env VAULT_CAPATH).")
  String caDirectory;

  @Option(
      names = "--vault-tls-server-name",
      description = "Name to verify Vault's certificate against (env VAULT_TLS_SERVER_NAME).")
  String serverName;

  @Option(
      names = "--vault-tls-client-cert",
      description = "PEM client certificate for mTLS to Vault (env VAULT_CLIENT_CERT).")
  String clientCert;

  @Option(
      names = "--vault-tls-client-key",
      description = "PKCS#8 PEM key of the client certificate (env VAULT_CLIENT_KEY).")
  String clientKey;

  @Option(
      names = "--vault-tls-skip-verify",
      description = "Do not verify Vault's certificate (env VAULT_SKIP_VERIFY). Insecure.")
  boolean skipVerify;

  @Option(
      names = "--vault-cache-size",
      defaultValue = "1000",
      description =
          "Vault HTTP clients kept, one per address and TLS settings (default: ${DEFAULT-VALUE}).")
  int cacheSize;

  @Option(
      names = {"--hmac-secret-name", "--vault-hmac-secret-name"},
      defaultValue = "vault-csi-provider-hmac-key",
      description =
          "Kubernetes Secret holding the key of object versions; reuse upstream's to keep versions across a migration (default: ${DEFAULT-VALUE}).")
  String hmacSecretName;

  @Option(
      names = "--vault-hmac-key-file",
      paramLabel = "FILE",
      description =
          "File with the version HMAC key (base64 or raw, at least 32 bytes) instead of the Kubernetes Secret: "
              + "for running outside a cluster; every provider of a cluster must use the same key.")
  java.nio.file.Path hmacKeyFile;

  @Option(
      names = {"--hmac-secret-namespace", "--vault-hmac-secret-namespace"},
      description =
          "Namespace of that Secret (default: the provider's own, from its service-account namespace file).")
  String hmacSecretNamespace;

  @Option(
      names = "--vault-allow-token-request",
      description =
          "Mint a pod token with TokenRequest when the driver sent none for the audience (upstream always does).")
  boolean allowTokenRequest;

  @Option(
      names = "--vault-allow-skip-tls-verify",
      description = "Let a SecretProviderClass set vaultSkipTLSVerify.")
  boolean allowSkipTlsVerify;

  @Option(
      names = "--vault-allowed-addresses",
      split = ",",
      description =
          "Addresses a SecretProviderClass may name in vaultAddress; any when unset. The configuration file's vaultAllowedAddresses overrides it without a restart.")
  List<String> allowedAddresses = new ArrayList<>();

  @Option(
      names = "--vault-spc-file-dirs",
      split = ",",
      paramLabel = "DIR",
      description =
          "Directories of the provider pod whose files a SecretProviderClass may name in vaultCACertPath, vaultCADirectory, "
              + "vaultTLSClientCertPath and vaultTLSClientKeyPath (the real path, symlinks and .. resolved, must lie under one); none when unset.")
  List<Path> spcFileDirs = new ArrayList<>();

  @Option(
      names = "--vault-lease-revoke-after",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description =
          "Revoke a dynamic-secret lease no mount or refresh has used for this long (default: ${DEFAULT-VALUE}).")
  Duration leaseRevokeAfter;

  @Option(
      names = "--vault-pki-reuse-fraction",
      defaultValue = "0.66",
      description =
          "Reuse an issued certificate until this part of its lifetime has passed (default: ${DEFAULT-VALUE}).")
  double pkiReuseFraction;

  @Option(
      names = "--vault-request-timeout",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Timeout of one HTTP call to Vault (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout;

  /** The settings from these flags over the given environment. */
  VaultSettings settings(Map<String, String> env) {
    TlsConfig fromEnv =
        new TlsConfig(
                env.get("VAULT_CACERT"),
                env.get("VAULT_CAPATH"),
                env.get("VAULT_TLS_SERVER_NAME"),
                env.get("VAULT_CLIENT_CERT"),
                env.get("VAULT_CLIENT_KEY"),
                GO_TRUE.contains(env.getOrDefault("VAULT_SKIP_VERIFY", "")))
            .requireClientPair("VAULT_CLIENT_CERT and VAULT_CLIENT_KEY");
    TlsConfig fromFlags =
        new TlsConfig(caCert, caDirectory, serverName, clientCert, clientKey, skipVerify)
            .requireClientPair("--vault-tls-client-cert and --vault-tls-client-key");
    String addr = firstSet(address, env.get("VAULT_ADDR"), VaultSettings.DEFAULT_ADDRESS);
    return new VaultSettings(
        addr,
        mount,
        firstSet(namespace, env.get("VAULT_NAMESPACE"), ""),
        fromEnv.overlay(fromFlags),
        cacheSize,
        hmacSecretName,
        firstSet(hmacSecretNamespace, ownNamespace(), ""),
        allowTokenRequest,
        allowSkipTlsVerify,
        allowedAddresses,
        spcFileDirs,
        leaseRevokeAfter,
        pkiReuseFraction,
        requestTimeout);
  }

  private static String ownNamespace() {
    try {
      return Files.isReadable(NAMESPACE_FILE) ? Files.readString(NAMESPACE_FILE).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String firstSet(String... values) {
    for (String value : values) {
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return "";
  }
}
