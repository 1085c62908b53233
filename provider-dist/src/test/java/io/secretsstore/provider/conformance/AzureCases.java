// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.azure.AzureEmulator;
import io.secretsstore.provider.testing.Canaries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Azure backend's cases: Key Vault secrets {@code conf-<name>} of vault {@link #VAULT} mounted
 * under their alias, read with workload identity by application {@link #CLIENT_ID}, whose only
 * federated subject is the canary pod's service account. The other namespace and the intruder
 * present the same client id, so that Entra ID, not the provider, refuses them (rows 18 and 36).
 */
final class AzureCases extends CaseBook {
  private static final String TENANT = "tenant-conf";
  private static final String VAULT = "kv-conf";
  private static final String CLIENT_ID = "0c0f0000-1111-2222-3333-444455556666";

  @Override
  String backend() {
    return "azure";
  }

  @Override
  CloudEmulator emulator() {
    return new AzureEmulator();
  }

  @Override
  List<String> prepare(
      CloudEmulator emulator, StartedEmulator started, Path work, boolean trustCa) {
    AzureEmulator azure = (AzureEmulator) emulator;
    azure.createVault(VAULT, TENANT);
    azure.addApplication(
        TENANT, CLIENT_ID, null, "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT);
    azure.allow(VAULT, CLIENT_ID);
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--azure-keyvault-endpoint=" + started.endpoint("keyvault"),
                "--azure-authority-host=" + started.endpoint("aad"),
                // The node's identities, where a fallback would go (row 27); their modes stay off
                // (row 16).
                "--azure-imds-endpoint=" + started.settings().get("AZURE_IMDS_ENDPOINT"),
                "--azure-pod-identity-endpoint="
                    + started.settings().get("AZURE_POD_IDENTITY_ENDPOINT")));
    if (trustCa) {
      flags.add("--azure-ca-bundle=" + started.settings().get("AZURE_CA_BUNDLE"));
    }
    return flags;
  }

  @Override
  void put(CloudEmulator emulator, String name, String value) {
    ((AzureEmulator) emulator).setSecret(VAULT, resource(name), value);
  }

  @Override
  List<String> fallbackOperations() {
    return List.of("azure.imds.token", "azure.nmi.token");
  }

  @Override
  String audience() {
    return AzureEmulator.EXCHANGE_AUDIENCE;
  }

  @Override
  String token(CloudEmulator emulator, String namespace, String serviceAccount) {
    return ((AzureEmulator) emulator)
        .mintServiceAccountToken(
            namespace, serviceAccount, AzureEmulator.EXCHANGE_AUDIENCE, Duration.ofHours(1));
  }

  @Override
  Map<String, String> parameters() {
    return Map.of("keyvaultName", VAULT, "tenantId", TENANT, "clientID", CLIENT_ID);
  }

  /** Upstream's format: {@code array:} whose elements are YAML strings, each an {@link #object}. */
  @Override
  String objects(String... entries) {
    StringBuilder yaml = new StringBuilder("array:");
    for (String entry : entries) {
      entry.lines().forEach(line -> yaml.append("\n  ").append(line));
    }
    return yaml.toString();
  }

  @Override
  String object(String name, String file, String mode) {
    // A literal block: its lines are the element's own YAML, so a line added below it joins the
    // element.
    return "- |\n  objectName: "
        + resource(name)
        + "\n  objectType: secret\n  objectAlias: "
        + (file == null ? quoted(name) : file)
        + (mode == null ? "" : "\n  filePermission: " + mode);
  }

  @Override
  String readOperation() {
    return "azure.keyvault.secret.get";
  }

  @Override
  String resource(String name) {
    // Key Vault names are letters, digits and dashes.
    return "conf-" + name.replace('_', '-');
  }

  @Override
  String loginOperation() {
    return "azure.aad.token";
  }

  @Override
  Map<String, String> operatorOnlyParameters() {
    return Map.of(
        "usePodIdentity", "true",
        "useVMManagedIdentity", "true",
        "cloudEnvFileName", "/etc/kubernetes/azure.json");
  }

  @Override
  Map<String, String> companions(String operatorOnlyParameter) {
    // Only the custom cloud reads the file.
    return operatorOnlyParameter.equals("cloudEnvFileName")
        ? Map.of("cloudName", "AzureStackCloud")
        : Map.of();
  }

  @Override
  Optional<String> mountsFileNameAs(String name) {
    // An empty objectAlias is no alias, as upstream: the file is named after the object.
    return name.isEmpty() ? Optional.of(resource("one")) : Optional.empty();
  }

  @Override
  String jsonKeyOfNonJson(CloudEmulator emulator) {
    // Key Vault objects have no JSON keys; the decoding they do have is asked of a value it does
    // not fit.
    put(emulator, "plain", Canaries.SECRET + " is not base64");
    return objects(object("plain") + "\n  objectEncoding: base64");
  }
}
