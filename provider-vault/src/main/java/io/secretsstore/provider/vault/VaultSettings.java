// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The backend's process settings: environment overlaid with flags. Everything here comes from the
 * operator; a SecretProviderClass can only narrow it, or widen it where a flag allows.
 *
 * @param address Vault's address when the SecretProviderClass names none
 * @param authMount the auth mount when the SecretProviderClass names none
 * @param namespace the Vault namespace when the SecretProviderClass names none, or empty
 * @param tls TLS from env and flags
 * @param cacheSize HTTP clients kept (one per address and TLS configuration); 0 keeps none
 * @param hmacSecretName the Kubernetes Secret holding the version HMAC key
 * @param hmacSecretNamespace the provider's own namespace, where that Secret lives, or empty
 * @param allowTokenRequest whether the provider may mint pod tokens when the driver sent none
 * @param allowSkipTlsVerify whether a SecretProviderClass may turn TLS verification off
 * @param allowedAddresses the addresses a SecretProviderClass may name; empty allows any
 * @param spcFileDirs the directories whose files a SecretProviderClass may name for TLS
 * @param leaseRevokeAfter how long a lease no refresh touched is kept before it is revoked
 * @param pkiReuseFraction the part of a certificate's lifetime during which it is reused
 * @param requestTimeout the timeout of one HTTP call to Vault
 */
record VaultSettings(
    String address,
    String authMount,
    String namespace,
    TlsConfig tls,
    int cacheSize,
    String hmacSecretName,
    String hmacSecretNamespace,
    boolean allowTokenRequest,
    boolean allowSkipTlsVerify,
    List<String> allowedAddresses,
    List<java.nio.file.Path> spcFileDirs,
    Duration leaseRevokeAfter,
    double pkiReuseFraction,
    Duration requestTimeout) {
  /** vault/api's default address. */
  static final String DEFAULT_ADDRESS = "https://127.0.0.1:8200";

  VaultSettings {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(authMount, "authMount");
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(hmacSecretName, "hmacSecretName");
    hmacSecretNamespace = hmacSecretNamespace == null ? "" : hmacSecretNamespace;
    allowedAddresses = allowedAddresses.stream().map(VaultAddress::normalize).toList();
    spcFileDirs = List.copyOf(spcFileDirs);
    if (cacheSize < 0) {
      throw new IllegalArgumentException("--vault-cache-size must not be negative");
    }
    if (!(pkiReuseFraction > 0 && pkiReuseFraction <= 1)) {
      throw new IllegalArgumentException(
          "--vault-pki-reuse-fraction must be above 0 and at most 1");
    }
    if (leaseRevokeAfter.isNegative()
        || leaseRevokeAfter.isZero()
        || requestTimeout.isNegative()
        || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "--vault-lease-revoke-after and the request timeout must be positive");
    }
    VaultAddress.normalize(address);
    VaultPaths.requireNoDotSegments("--vault-mount", authMount);
    VaultPaths.requireNamespace("--vault-namespace", namespace);
  }

  /** Defaults for tests: a given address, nothing allowed beyond upstream's defaults. */
  static VaultSettings forAddress(String address) {
    return new VaultSettings(
        address,
        "kubernetes",
        "",
        TlsConfig.NONE,
        1000,
        "vault-csi-provider-hmac-key",
        "",
        false,
        false,
        List.of(),
        List.of(),
        Duration.ofMinutes(10),
        0.66,
        Duration.ofSeconds(30));
  }

  VaultSettings withTls(TlsConfig other) {
    return new VaultSettings(
        address,
        authMount,
        namespace,
        other,
        cacheSize,
        hmacSecretName,
        hmacSecretNamespace,
        allowTokenRequest,
        allowSkipTlsVerify,
        allowedAddresses,
        spcFileDirs,
        leaseRevokeAfter,
        pkiReuseFraction,
        requestTimeout);
  }

  VaultSettings withHmacNamespace(String other) {
    return new VaultSettings(
        address,
        authMount,
        namespace,
        tls,
        cacheSize,
        hmacSecretName,
        other,
        allowTokenRequest,
        allowSkipTlsVerify,
        allowedAddresses,
        spcFileDirs,
        leaseRevokeAfter,
        pkiReuseFraction,
        requestTimeout);
  }

  VaultSettings withAllowances(
      boolean tokenRequest,
      boolean skipTlsVerify,
      List<String> addresses,
      List<java.nio.file.Path> fileDirs) {
    return new VaultSettings(
        address,
        authMount,
        namespace,
        tls,
        cacheSize,
        hmacSecretName,
        hmacSecretNamespace,
        tokenRequest,
        skipTlsVerify,
        addresses,
        fileDirs,
        leaseRevokeAfter,
        pkiReuseFraction,
        requestTimeout);
  }

  VaultSettings withLeaseRevokeAfter(Duration other) {
    return new VaultSettings(
        address,
        authMount,
        namespace,
        tls,
        cacheSize,
        hmacSecretName,
        hmacSecretNamespace,
        allowTokenRequest,
        allowSkipTlsVerify,
        allowedAddresses,
        spcFileDirs,
        other,
        pkiReuseFraction,
        requestTimeout);
  }
}
