// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.mount.OperatorSetting;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The backend's {@code serve} flags: upstream's {@code --cloud-name}, {@code --construct-pem-chain}
 * and {@code --write-cert-and-key-in-separate-files} under the {@code azure-} prefix, addresses for
 * emulators and private endpoints, and the switches for identities: the service principal is on by
 * default (the pod's own namespace supplies it), the node-level identities are off.
 */
final class AzureOptions {
  private static final String CHART = "secrets-store-provider-azure: ";

  /** Lets a SecretProviderClass without clientID use nodePublishSecretRef's client secret. */
  static final OperatorSetting SERVICE_PRINCIPAL =
      new OperatorSetting(
          "--azure-allow-service-principal", "true", CHART + "azure.allowServicePrincipal");

  /** Lets useVMManagedIdentity use the node's identity. */
  static final OperatorSetting MANAGED_IDENTITY =
      new OperatorSetting(
          "--azure-enable-managed-identity", "true", CHART + "azure.enableManagedIdentity");

  /** Lets usePodIdentity ask AAD Pod Identity's NMI. */
  static final OperatorSetting POD_IDENTITY =
      new OperatorSetting(
          "--azure-enable-pod-identity", "true", CHART + "azure.podIdentity.enabled");

  /**
   * Lets cloudEnvFileName name a file of a directory; the chart has no value of its own (extraArgs,
   * and extraVolumes for the file).
   */
  static final OperatorSetting CLOUD_ENV_DIR =
      new OperatorSetting("--azure-cloud-env-dir", "DIR", CHART + "extraArgs");

  @Option(
      names = "--azure-keyvault-endpoint",
      paramLabel = "URL",
      description =
          "Serve every vault from URL/<keyvaultName> instead of https://<keyvaultName>.<cloud suffix>/ (an emulator or a proxy).")
  String keyVaultEndpoint;

  @Option(
      names = "--azure-authority-host",
      paramLabel = "URL",
      description = "Entra ID authority host instead of the cloud's.")
  String authorityHost;

  @Option(
      names = "--azure-ca-bundle",
      paramLabel = "FILE",
      description = "PEM file of CAs trusted for Key Vault and Entra ID (default: the JDK's).")
  Path caBundle;

  @Option(
      names = "--azure-cloud-name",
      defaultValue = "AzurePublicCloud",
      description =
          "Cloud when a SecretProviderClass sets no cloudName (default: ${DEFAULT-VALUE}).")
  String cloudName;

  @Option(
      names = "--azure-cloud-env-dir",
      paramLabel = "DIR",
      description =
          "A directory whose files cloudEnvFileName may name (repeatable; default: none, so AzureStackCloud is refused).")
  List<Path> cloudEnvDirectories = List.of();

  @Option(
      names = "--azure-construct-pem-chain",
      arity = "1",
      defaultValue = "true",
      description =
          "Order certificates of PKCS#12 secrets leaf to root (default: ${DEFAULT-VALUE}).")
  boolean constructPemChain;

  @Option(
      names = "--azure-write-cert-and-key-in-separate-files",
      arity = "1",
      defaultValue = "false",
      description =
          "Also write <file>.crt and <file>.key for certificate-backed secrets (default: ${DEFAULT-VALUE}).")
  boolean separateFiles;

  @Option(
      names = "--azure-allow-service-principal",
      arity = "1",
      defaultValue = "true",
      description =
          "Allow client secrets from nodePublishSecretRef (clientid/clientsecret) when a SecretProviderClass sets no clientID, "
              + "as upstream does: the pod's namespace supplies its own credential (default: ${DEFAULT-VALUE}).")
  boolean servicePrincipal;

  @Option(
      names = "--azure-enable-managed-identity",
      arity = "1",
      defaultValue = "false",
      description =
          "Allow useVMManagedIdentity: mounts then use the node's managed identity (default: ${DEFAULT-VALUE}).")
  boolean managedIdentity;

  @Option(
      names = "--azure-enable-pod-identity",
      arity = "1",
      defaultValue = "false",
      description =
          "Allow the deprecated usePodIdentity (AAD Pod Identity NMI) (default: ${DEFAULT-VALUE}).")
  boolean podIdentity;

  @Option(
      names = "--azure-pod-identity-endpoint",
      paramLabel = "URL",
      defaultValue = "http://localhost:2579/host/token/",
      description = "NMI token URL (default: ${DEFAULT-VALUE}).")
  String podIdentityEndpoint;

  @Option(
      names = "--azure-imds-endpoint",
      paramLabel = "URL",
      defaultValue = "http://169.254.169.254",
      description =
          "Instance Metadata Service for useVMManagedIdentity (default: ${DEFAULT-VALUE}).")
  String imdsEndpoint;

  @Option(
      names = "--azure-token-proxy-url",
      paramLabel = "URL",
      defaultValue = "https://kubernetes.default.svc.cluster.local",
      description =
          "AKS identity-binding token proxy for useAzureTokenProxy, upstream's --token-proxy-url (default: ${DEFAULT-VALUE}).")
  String tokenProxyUrl;

  @Option(
      names = "--azure-token-proxy-sni-name",
      paramLabel = "NAME",
      description =
          "TLS server name of the token proxy, upstream's --sni-name (default: derived from the API server's certificate).")
  String tokenProxySniName;

  @Option(
      names = "--azure-token-proxy-ca-file",
      paramLabel = "FILE",
      defaultValue = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
      description =
          "PEM CAs trusted for the token proxy; the JDK's when the file does not exist (default: ${DEFAULT-VALUE}).")
  Path tokenProxyCaFile;

  AzureSettings settings() {
    return new AzureSettings(
        url(keyVaultEndpoint, "--azure-keyvault-endpoint", true),
        url(authorityHost, "--azure-authority-host", true),
        caBundle,
        cloudName,
        cloudEnvDirectories,
        constructPemChain,
        separateFiles,
        servicePrincipal,
        managedIdentity,
        podIdentity,
        new AzureSettings.TokenEndpoints(
            url(imdsEndpoint, "--azure-imds-endpoint", false),
            url(podIdentityEndpoint, "--azure-pod-identity-endpoint", false),
            url(tokenProxyUrl, "--azure-token-proxy-url", true),
            tokenProxySniName == null || tokenProxySniName.isBlank()
                ? null
                : tokenProxySniName.trim(),
            tokenProxyCaFile));
  }

  private static URI url(String text, String flag, boolean httpsOnly) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + " must be a URL");
    }
    boolean scheme =
        "https".equals(uri.getScheme()) || !httpsOnly && "http".equals(uri.getScheme());
    if (!scheme || uri.getHost() == null) {
      throw new IllegalArgumentException(
          flag + " must be an " + (httpsOnly ? "https" : "http(s)") + " URL");
    }
    return uri;
  }
}
