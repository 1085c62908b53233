// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.vault.VaultEmulator;
import io.secretsstore.provider.emulators.vault.VaultRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Vault backend's cases: KV v2 secrets {@code secret/conf/<name>}, key {@code value}; role
 * {@code app}.
 */
final class VaultCases extends CaseBook {
  private static final String AUDIENCE = "vault";

  @Override
  String backend() {
    return "vault";
  }

  @Override
  CloudEmulator emulator() {
    return new VaultEmulator();
  }

  @Override
  List<String> prepare(CloudEmulator emulator, StartedEmulator started, Path work, boolean trustCa)
      throws IOException {
    ((VaultEmulator) emulator)
        .addRole(
            "",
            VaultEmulator.DEFAULT_AUTH_MOUNT,
            new VaultRole(
                "app",
                List.of(SERVICE_ACCOUNT),
                List.of(NAMESPACE, SECOND_TENANT),
                AUDIENCE,
                List.of("secret/"),
                Duration.ofHours(1)));
    Path key =
        Files.writeString(
            work.resolve("hmac-key"), Base64.getEncoder().encodeToString(new byte[32]));
    String address = started.endpoint("https").toString();
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--vault-addr=" + address,
                "--vault-hmac-key-file=" + key,
                "--vault-allowed-addresses=" + address));
    if (trustCa) {
      flags.add("--vault-ca-cert=" + started.settings().get("VAULT_CACERT"));
    }
    return flags;
  }

  @Override
  boolean admitsSecondTenant() {
    return true;
  }

  @Override
  void put(CloudEmulator emulator, String name, String value) {
    ((VaultEmulator) emulator).putKv2("", "secret", "conf/" + name, Map.of("value", value));
  }

  @Override
  String audience() {
    return AUDIENCE;
  }

  @Override
  String token(CloudEmulator emulator, String namespace, String serviceAccount) {
    return ((VaultEmulator) emulator)
        .mintServiceAccountToken(namespace, serviceAccount, AUDIENCE, Duration.ofHours(1));
  }

  @Override
  Map<String, String> parameters() {
    return Map.of("roleName", "app");
  }

  @Override
  String object(String name, String file, String mode) {
    // Vault mounts each object at its objectName.
    return "- objectName: "
        + (file == null ? quoted(name) : file)
        + "\n  secretPath: "
        + quoted("secret/data/conf/" + name)
        + "\n  secretKey: value"
        + (mode == null ? "" : "\n  filePermission: " + mode);
  }

  @Override
  String readOperation() {
    return "vault.read";
  }

  @Override
  String resource(String name) {
    return "secret/data/conf/" + name;
  }

  @Override
  String loginOperation() {
    return "vault.login";
  }

  @Override
  Map<String, String> operatorOnlyParameters() {
    return Map.of(
        "vaultSkipTLSVerify", "true",
        "vaultAddress", "https://vault.attacker.invalid:8200",
        "vaultCACertPath", "/etc/ssl/certs/ca-certificates.crt",
        "vaultCADirectory", "/etc/ssl/certs");
  }

  @Override
  String jsonKeyOfNonJson(CloudEmulator emulator) {
    // Vault answers JSON; a proxy or a broken server might not.
    emulator
        .faults()
        .inject(
            readOperation(),
            Fault.error(200)
                .withHeader("Content-Type", "text/plain")
                .withBody("S3CR3T-canary-value is not json"),
            FaultPlan.ALWAYS);
    return object("nonjson");
  }
}
