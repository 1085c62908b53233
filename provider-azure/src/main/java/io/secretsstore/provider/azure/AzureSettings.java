// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The backend's process settings, from its flags.
 *
 * @param keyVaultEndpoint serve every vault from {@code <endpoint>/<keyvaultName>} (an emulator or
 *     a proxy), or null for the cloud's {@code https://<name>.<suffix>/}
 * @param authorityHost the Entra ID authority host instead of the cloud's, or null
 * @param caBundle PEM CAs trusted for Key Vault and Entra ID, or null for the JDK's
 * @param cloudName the cloud when a SecretProviderClass names none (upstream {@code --cloud-name})
 * @param cloudEnvDirectories directories whose files {@code cloudEnvFileName} may name
 * @param constructPemChain order certificates leaf to root (upstream {@code --construct-pem-chain})
 * @param separateFiles also write {@code .crt} and {@code .key} (upstream {@code
 *     --write-cert-and-key-in-separate-files})
 * @param servicePrincipal whether nodePublishSecretRef client secrets may be used
 * @param managedIdentity whether {@code useVMManagedIdentity} may use the node's identity
 * @param podIdentity whether {@code usePodIdentity} may ask the NMI endpoint
 * @param endpoints where managed identity, pod identity and identity binding get their tokens
 */
record AzureSettings(
    URI keyVaultEndpoint,
    URI authorityHost,
    Path caBundle,
    String cloudName,
    List<Path> cloudEnvDirectories,
    boolean constructPemChain,
    boolean separateFiles,
    boolean servicePrincipal,
    boolean managedIdentity,
    boolean podIdentity,
    TokenEndpoints endpoints) {
  /**
   * The token sources besides Entra ID.
   *
   * @param imds the Instance Metadata Service (managed identity), upstream's {@code
   *     http://169.254.169.254}
   * @param nmi AAD Pod Identity's NMI token URL, upstream's {@code
   *     http://localhost:2579/host/token/}
   * @param tokenProxy the AKS identity-binding token proxy (upstream {@code --token-proxy-url})
   * @param tokenProxySniName the TLS server name of the proxy (upstream {@code --sni-name}), or
   *     null to derive it from the API server's certificate as upstream does
   * @param tokenProxyCa PEM CAs trusted for the proxy; when the file does not exist, the JDK's
   */
  record TokenEndpoints(
      URI imds, URI nmi, URI tokenProxy, String tokenProxySniName, Path tokenProxyCa) {
    static final TokenEndpoints UPSTREAM =
        new TokenEndpoints(
            URI.create("http://169.254.169.254"),
            URI.create("http://localhost:2579/host/token/"),
            URI.create("https://kubernetes.default.svc.cluster.local"),
            null,
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"));
  }

  AzureSettings {
    cloudEnvDirectories = List.copyOf(cloudEnvDirectories);
  }

  /**
   * Settings for tests and the demo: an emulator's Key Vault and authority with its CA, the flags'
   * defaults otherwise.
   */
  static AzureSettings emulated(URI keyVaultEndpoint, URI authorityHost, Path caBundle) {
    return new AzureSettings(
        keyVaultEndpoint,
        authorityHost,
        caBundle,
        "AzurePublicCloud",
        List.of(),
        true,
        false,
        true,
        false,
        false,
        TokenEndpoints.UPSTREAM);
  }

  AzureSettings withCaBundle(Path bundle) {
    return new AzureSettings(
        keyVaultEndpoint,
        authorityHost,
        bundle,
        cloudName,
        cloudEnvDirectories,
        constructPemChain,
        separateFiles,
        servicePrincipal,
        managedIdentity,
        podIdentity,
        endpoints);
  }

  AzureSettings withServicePrincipal(boolean allowed) {
    return new AzureSettings(
        keyVaultEndpoint,
        authorityHost,
        caBundle,
        cloudName,
        cloudEnvDirectories,
        constructPemChain,
        separateFiles,
        allowed,
        managedIdentity,
        podIdentity,
        endpoints);
  }

  AzureSettings withOutput(boolean pemChain, boolean separate) {
    return new AzureSettings(
        keyVaultEndpoint,
        authorityHost,
        caBundle,
        cloudName,
        cloudEnvDirectories,
        pemChain,
        separate,
        servicePrincipal,
        managedIdentity,
        podIdentity,
        endpoints);
  }

  AzureSettings withCloud(String defaultCloud, List<Path> envDirectories) {
    return new AzureSettings(
        keyVaultEndpoint,
        authorityHost,
        caBundle,
        defaultCloud,
        envDirectories,
        constructPemChain,
        separateFiles,
        servicePrincipal,
        managedIdentity,
        podIdentity,
        endpoints);
  }

  AzureSettings withNodeIdentities(boolean managed, boolean pod) {
    return new AzureSettings(
        keyVaultEndpoint,
        authorityHost,
        caBundle,
        cloudName,
        cloudEnvDirectories,
        constructPemChain,
        separateFiles,
        servicePrincipal,
        managed,
        pod,
        endpoints);
  }

  AzureSettings withEndpoints(TokenEndpoints tokenEndpoints) {
    return new AzureSettings(
        keyVaultEndpoint,
        authorityHost,
        caBundle,
        cloudName,
        cloudEnvDirectories,
        constructPemChain,
        separateFiles,
        servicePrincipal,
        managedIdentity,
        podIdentity,
        tokenEndpoints);
  }
}
