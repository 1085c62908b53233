// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cloud names as go-autorest matches them, and custom cloud files only from allowed directories.
 */
class AzureCloudTest {
  @TempDir Path directory;

  @Test
  void namedClouds_ignoringCase() {
    assertThat(AzureCloud.resolve("AzurePublicCloud", "", List.of()).keyVaultDnsSuffix())
        .isEqualTo("vault.azure.net");
    assertThat(AzureCloud.resolve("azurecloud", "", List.of()).authorityHost())
        .isEqualTo("https://login.microsoftonline.com/");
    assertThat(AzureCloud.resolve("AzureUSGovernmentCloud", "", List.of()).keyVaultDnsSuffix())
        .isEqualTo("vault.usgovcloudapi.net");
    assertThat(AzureCloud.resolve("AZUREUSGOVERNMENT", "", List.of()).authorityHost())
        .isEqualTo("https://login.microsoftonline.us/");
    assertThat(AzureCloud.resolve("AzureChinaCloud", "", List.of()).keyVaultDnsSuffix())
        .isEqualTo("vault.azure.cn");
    assertThat(AzureCloud.resolve("AzureGermanCloud", "", List.of()).keyVaultDnsSuffix())
        .isEqualTo("vault.microsoftazure.de");
    assertThatThrownBy(() -> AzureCloud.resolve("Mars", "", List.of()))
        .hasMessageContaining("no cloud environment matching the name \"Mars\"");
  }

  @Test
  void customCloudFile_isReadOnlyFromAnAllowedDirectory() throws Exception {
    Path file =
        Files.writeString(
            directory.resolve("stack.json"),
            "{\"name\":\"AzureStackCloud\",\"keyVaultDNSSuffix\":\"vault.local.azurestack.external\","
                + "\"activeDirectoryEndpoint\":\"https://adfs.local.azurestack.external/\"}");
    AzureCloud cloud = AzureCloud.resolve("AzureStackCloud", file.toString(), List.of(directory));
    assertThat(cloud.keyVaultDnsSuffix()).isEqualTo("vault.local.azurestack.external");
    assertThat(cloud.authorityHost()).isEqualTo("https://adfs.local.azurestack.external/");
    assertThatThrownBy(() -> AzureCloud.resolve("AzureStackCloud", file.toString(), List.of()))
        .hasMessageContaining("--azure-cloud-env-dir");
    assertThatThrownBy(
            () ->
                AzureCloud.resolve(
                    "AzureStackCloud",
                    directory + "/../" + directory.getFileName() + "/x/../../etc/passwd",
                    List.of(directory)))
        .hasMessageContaining("--azure-cloud-env-dir");
    assertThatThrownBy(() -> AzureCloud.resolve("AzureStackCloud", "", List.of(directory)))
        .hasMessageContaining("cloudEnvFileName is required");
    Path bad = Files.writeString(directory.resolve("bad.json"), "{\"keyVaultDNSSuffix\":\"x\"}");
    assertThatThrownBy(
            () -> AzureCloud.resolve("AzureStackCloud", bad.toString(), List.of(directory)))
        .hasMessageContaining("must set keyVaultDNSSuffix and an https activeDirectoryEndpoint");
  }

  /** Issue 23: the same files are read the same way under Jackson 3 as under Jackson 2. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"name\":\"Stack\"," + ENDPOINTS + "} trailing|Stack",
        "{\"name\":null," + ENDPOINTS + "}|AzureStackCloud",
        "{" + ENDPOINTS + "}|AzureStackCloud",
        "{\"name\":{\"a\":1}," + ENDPOINTS + "}|``",
        "{\"name\":7," + ENDPOINTS + "}|7",
      })
  void customCloudFile_readsAsUnderJackson2(String json, String name) throws Exception {
    Path file = Files.writeString(directory.resolve("cloud.json"), json);
    AzureCloud cloud = AzureCloud.resolve("AzureStackCloud", file.toString(), List.of(directory));
    assertThat(cloud.name()).isEqualTo(name);
    assertThat(cloud.keyVaultDnsSuffix()).isEqualTo("vault.local");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"keyVaultDNSSuffix\":\"" + CANARY + "|is not a JSON cloud environment file",
        "{\"keyVaultDNSSuffix\":[\"vault.local\"],\"activeDirectoryEndpoint\":\"https://a/\"}"
            + "|must set keyVaultDNSSuffix",
        "[\"" + CANARY + "\"]|must set keyVaultDNSSuffix",
      })
  void customCloudFile_refusals_neverQuoteTheFile(String json, String message) throws Exception {
    Path file = Files.writeString(directory.resolve("cloud.json"), json);
    assertThatThrownBy(
            () -> AzureCloud.resolve("AzureStackCloud", file.toString(), List.of(directory)))
        .hasMessageContaining(message)
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void customCloudFile_nestingAsDeepAsJackson2Read_isAccepted() throws Exception {
    // Jackson 3 alone stops at 500 levels; Jackson 2 read 1000, and so does the provider.
    Path deep = directory.resolve("deep.json");
    Files.writeString(deep, "{" + ENDPOINTS + ",\"d\":" + "[".repeat(999) + "]".repeat(999) + "}");
    assertThat(AzureCloud.resolve("AzureStackCloud", deep.toString(), List.of(directory)).name())
        .isEqualTo("AzureStackCloud");
    Files.writeString(
        deep, "{" + ENDPOINTS + ",\"d\":" + "[".repeat(1000) + "]".repeat(1000) + "}");
    assertThatThrownBy(
            () -> AzureCloud.resolve("AzureStackCloud", deep.toString(), List.of(directory)))
        .hasMessage("cloudEnvFileName is not a JSON cloud environment file");
  }

  private static final String CANARY = "canary-5d1c-not-for-messages";
  private static final String ENDPOINTS =
      "\"keyVaultDNSSuffix\":\"vault.local\",\"activeDirectoryEndpoint\":\"https://adfs.local/\"";
}
