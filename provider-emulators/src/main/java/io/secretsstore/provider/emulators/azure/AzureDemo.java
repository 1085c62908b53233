// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The {@code azure} backend's demo: vault {@code demo-kv} (tenant {@code demo-tenant}) with a
 * secret, an imported PEM certificate and an EC key, read by application {@code demo-app} with
 * workload identity for {@code system:serviceaccount:demo:app}.
 */
final class AzureDemo {
  static final String NAMESPACE = "demo";
  static final String SERVICE_ACCOUNT = "app";
  static final String TENANT = "demo-tenant";
  static final String CLIENT_ID = "demo-app";
  static final String VAULT = "demo-kv";

  static final String SECRET_PROVIDER_CLASS =
      """
      apiVersion: secrets-store.csi.x-k8s.io/v1
      kind: SecretProviderClass
      metadata:
        name: app-secrets
        namespace: demo
      spec:
        provider: azure
        parameters:
          keyvaultName: demo-kv
          tenantId: demo-tenant
          clientID: demo-app
          objects: |
            array:
              - |
                objectName: db-password
                objectType: secret
              - |
                objectName: web-tls
                objectType: secret
              - |
                objectName: signing-key
                objectType: key
      """;

  private AzureDemo() {}

  static DemoScenario seed(AzureEmulator azure, StartedEmulator started) {
    azure.createVault(VAULT, TENANT);
    azure.addApplication(
        TENANT, CLIENT_ID, null, "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT);
    azure.allow(VAULT, CLIENT_ID);
    azure.setSecret(
        VAULT, "db-password", HexFormat.of().formatHex(ActiveDirectory.randomBytes(16)));
    CertificateChain chain = CertificateChain.generate("demo.example", "RSA", 1);
    azure.importCertificate(VAULT, "web-tls", chain, chain.certificates(), AzureEmulator.PEM);
    try {
      azure.setKey(VAULT, "signing-key", CertificateChain.keyPair("EC").getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC keys are not available", e);
    }
    String token =
        azure.mintServiceAccountToken(
            NAMESPACE, SERVICE_ACCOUNT, AzureEmulator.EXCHANGE_AUDIENCE, Duration.ofHours(24));
    return new DemoScenario(
        "azure",
        serveFlags(started),
        SECRET_PROVIDER_CLASS,
        NAMESPACE,
        SERVICE_ACCOUNT,
        Map.of(AzureEmulator.EXCHANGE_AUDIENCE, token));
  }

  /** The {@code serve} flags that point the backend at this started emulator. */
  static List<String> serveFlags(StartedEmulator started) {
    return List.of(
        "--azure-keyvault-endpoint=" + started.endpoint("keyvault"),
        "--azure-authority-host=" + started.endpoint("aad"),
        "--azure-ca-bundle=" + started.settings().get("AZURE_CA_BUNDLE"));
  }
}
