// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.azure;

import io.secretsstore.provider.emulators.SeedNode;
import io.secretsstore.provider.emulators.SeededIdentity;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code azure} section of a seed file: Key Vaults with secrets (and their versions), keys and
 * certificates, and applications a Kubernetes service account signs in as through workload
 * identity, with the vaults each may read.
 *
 * <pre>
 * azure:
 *   vaults:
 *     - name: demo-kv
 *       tenant: demo-tenant
 *       secrets:
 *         - name: db-password
 *           versions: [first, second]   # the last is current
 *       keys:
 *         - name: signing-key
 *           type: EC                    # or RSA
 *       certificates:
 *         - name: web-tls
 *           subject: demo.example
 *           format: pem                 # or pfx
 *   clients:
 *     - clientId: demo-app
 *       tenant: demo-tenant
 *       namespace: demo
 *       serviceAccount: app
 *       read: [demo-kv]
 * </pre>
 */
final class AzureSeed {
  private AzureSeed() {}

  static List<SeededIdentity> apply(
      AzureEmulator azure, StartedEmulator started, SeedNode section) {
    Map<String, SeedNode> top = section.entries(Set.of("vaults", "clients"));
    for (SeedNode vault : SeedNode.itemsOf(top, "vaults")) {
      seedVault(azure, vault);
    }
    List<SeededIdentity> identities = new ArrayList<>();
    for (SeedNode client : SeedNode.itemsOf(top, "clients")) {
      Map<String, SeedNode> fields =
          client.entries(Set.of("clientId", "tenant", "namespace", "serviceAccount", "read"));
      String clientId = client.required(fields, "clientId").string();
      String tenant = client.required(fields, "tenant").string();
      String namespace = client.required(fields, "namespace").string();
      String serviceAccount = client.required(fields, "serviceAccount").string();
      azure.addApplication(
          tenant, clientId, null, "system:serviceaccount:" + namespace + ":" + serviceAccount);
      for (String vault : client.required(fields, "read").strings()) {
        azure.allow(vault, clientId);
      }
      String token =
          azure.mintServiceAccountToken(
              namespace, serviceAccount, AzureEmulator.EXCHANGE_AUDIENCE, Duration.ofHours(24));
      identities.add(
          new SeededIdentity(
              "azure",
              "client " + clientId + " in tenant " + tenant,
              AzureDemo.serveFlags(started),
              namespace,
              serviceAccount,
              Map.of(AzureEmulator.EXCHANGE_AUDIENCE, token)));
    }
    return identities;
  }

  private static void seedVault(AzureEmulator azure, SeedNode vault) {
    Map<String, SeedNode> fields =
        vault.entries(Set.of("name", "tenant", "secrets", "keys", "certificates"));
    String name = vault.required(fields, "name").string();
    azure.createVault(name, vault.required(fields, "tenant").string());
    for (SeedNode secret : SeedNode.itemsOf(fields, "secrets")) {
      Map<String, SeedNode> entry = secret.entries(Set.of("name", "versions"));
      String secretName = secret.required(entry, "name").string();
      secret
          .required(entry, "versions")
          .strings()
          .forEach(value -> azure.setSecret(name, secretName, value));
    }
    for (SeedNode key : SeedNode.itemsOf(fields, "keys")) {
      Map<String, SeedNode> entry = key.entries(Set.of("name", "type"));
      String type = SeedNode.stringOr(entry, "type", "EC");
      if (!type.equals("EC") && !type.equals("RSA")) {
        throw entry.get("type").error("must be EC or RSA");
      }
      try {
        azure.setKey(
            name, key.required(entry, "name").string(), CertificateChain.keyPair(type).getPublic());
      } catch (GeneralSecurityException e) {
        throw key.error(type + " keys are not available in this JVM");
      }
    }
    for (SeedNode certificate : SeedNode.itemsOf(fields, "certificates")) {
      Map<String, SeedNode> entry = certificate.entries(Set.of("name", "subject", "format"));
      String format = SeedNode.stringOr(entry, "format", "pem");
      if (!format.equals("pem") && !format.equals("pfx")) {
        throw entry.get("format").error("must be pem or pfx");
      }
      CertificateChain chain =
          CertificateChain.generate(certificate.required(entry, "subject").string(), "RSA", 1);
      azure.importCertificate(
          name,
          certificate.required(entry, "name").string(),
          chain,
          chain.certificates(),
          format.equals("pem") ? AzureEmulator.PEM : AzureEmulator.PKCS12);
    }
  }
}
