// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
