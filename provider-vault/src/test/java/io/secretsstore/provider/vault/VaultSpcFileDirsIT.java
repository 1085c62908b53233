// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static io.secretsstore.provider.vault.VaultTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.vault.ClientCertificate;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --vault-spc-file-dirs}: a SecretProviderClass's CA and client-certificate files are used
 * only when their real path lies under a declared directory, against a Vault that requires mutual
 * TLS; anything else is refused before a connection, naming the key, the flag and the chart value.
 */
class VaultSpcFileDirsIT {
  private static final String CHART =
      "(chart value secrets-store-provider-vault: vault.tlsFileDirs)";
  @TempDir static Path root;
  private static Path declared;
  private static Path outside;
  private static VaultTestBed bed;
  private static ProviderFixture provider;

  @BeforeAll
  static void start() throws Exception {
    declared = Files.createDirectories(root.resolve("vault-tls"));
    outside = Files.createDirectories(root.resolve("elsewhere"));
    bed = new VaultTestBed(true);
    bed.vault.putKv2("", "secret", "app/db", Map.of("username", "app-user"));
    ClientCertificate client = bed.vault.writeClientCertificate(declared);
    assertThat(client.certificate().getParent()).isEqualTo(declared);
    Files.copy(bed.caFile, declared.resolve("ca.crt"));
    Files.copy(bed.caFile, outside.resolve("ca.crt"));
    // A link inside the declared directory to a file outside it, as a hostile class would hope for.
    Files.createSymbolicLink(declared.resolve("link.crt"), outside.resolve("ca.crt"));
    VaultSettings settings =
        VaultSettings.forAddress(bed.httpsAddress())
            .withHmacNamespace(VaultTestBed.PROVIDER_NAMESPACE)
            .withAllowances(false, false, List.of(), List.of(declared));
    provider = ProviderFixture.start(bed.backend(settings), VaultTestBed.FAST);
  }

  @AfterAll
  static void stop() throws Exception {
    provider.close();
    bed.close();
  }

  private static Map<String, String> attributes(String caCert) {
    Map<String, String> attributes =
        new LinkedHashMap<>(
            bed.attributes(
                "- {objectName: u, secretPath: secret/data/app/db, secretKey: username}"));
    attributes.put("vaultCACertPath", caCert);
    attributes.put("vaultTLSClientCertPath", declared.resolve("vault-client.pem").toString());
    attributes.put("vaultTLSClientKeyPath", declared.resolve("vault-client-key.pem").toString());
    return attributes;
  }

  @Test
  void filesUnderADeclaredDirectory_areUsed_forMutualTls() {
    byte[] contents =
        provider
            .mount(call(attributes(declared.resolve("ca.crt").toString())))
            .files()
            .get(0)
            .contents();
    assertThat(new String(contents, StandardCharsets.UTF_8)).isEqualTo("app-user");
  }

  @Test
  void aPathOutside_orEscapingWithDotDot_isRefusedNamingKeyFlagAndChartValue() {
    provider.assertRejected(
        call(attributes(outside.resolve("ca.crt").toString())),
        "INVALID_ARGUMENT",
        "vaultCACertPath is not under a directory the operator declared");
    provider.assertRejected(
        call(attributes(outside.resolve("ca.crt").toString())),
        "INVALID_ARGUMENT",
        "--vault-spc-file-dirs=" + outside + " " + CHART);
    provider.assertRejected(
        call(attributes(declared + "/../elsewhere/ca.crt")),
        "INVALID_ARGUMENT",
        "vaultCACertPath is not under a directory the operator declared");
    provider.assertRejected(
        call(attributes("vault-tls/ca.crt")),
        "INVALID_ARGUMENT",
        "vaultCACertPath must be an absolute path");
  }

  @Test
  void aSymlinkInsideThatLeadsOutside_isRefused() {
    provider.assertRejected(
        call(attributes(declared.resolve("link.crt").toString())),
        "INVALID_ARGUMENT",
        "vaultCACertPath is not under a directory the operator declared for SecretProviderClass TLS files (symlinks and .. resolved)");
  }

  @Test
  void aMissingFileUnderTheDirectory_isRefusedNamingTheKey() {
    provider.assertRejected(
        call(attributes(declared.resolve("missing.crt").toString())),
        "INVALID_ARGUMENT",
        "vaultCACertPath names no file in the provider pod");
  }
}
