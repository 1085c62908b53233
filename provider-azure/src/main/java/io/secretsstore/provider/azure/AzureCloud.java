// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.mount.ProviderException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * An Azure cloud: where its vaults live ({@code https://<vault>.<keyVaultDnsSuffix>/}) and its
 * Entra ID authority host. Names are go-autorest's, matched ignoring case. Upstream's custom cloud
 * ({@code AzureStackCloud} from {@code cloudEnvFileName}) sets a process-wide environment variable
 * that concurrent mounts race on; here the file is read per mount, and only from directories the
 * operator allowed, since the path comes from a SecretProviderClass.
 *
 * @param name the canonical name
 * @param keyVaultDnsSuffix e.g. {@code vault.azure.net}
 * @param authorityHost e.g. {@code https://login.microsoftonline.com/}
 */
record AzureCloud(String name, String keyVaultDnsSuffix, String authorityHost) {
  static final String STACK = "AzureStackCloud";
  private static final long MAX_FILE = 64 * 1024;

  /**
   * The cloud of a mount.
   *
   * @param name {@code cloudName}, or the provider's default when empty
   * @param envFile {@code cloudEnvFileName}, or empty
   * @param allowedDirectories where custom cloud files may be read from (operator flag)
   */
  static AzureCloud resolve(String name, String envFile, List<Path> allowedDirectories) {
    switch (name.toUpperCase(Locale.ROOT)) {
      case "AZURECLOUD", "AZUREPUBLICCLOUD":
        return new AzureCloud(
            "AzurePublicCloud", "vault.azure.net", "https://login.microsoftonline.com/");
      case "AZURECHINACLOUD":
        return new AzureCloud(
            "AzureChinaCloud", "vault.azure.cn", "https://login.chinacloudapi.cn/");
      case "AZUREUSGOVERNMENT", "AZUREUSGOVERNMENTCLOUD":
        return new AzureCloud(
            "AzureUSGovernmentCloud",
            "vault.usgovcloudapi.net",
            "https://login.microsoftonline.us/");
      case "AZUREGERMANCLOUD":
        return new AzureCloud(
            "AzureGermanCloud", "vault.microsoftazure.de", "https://login.microsoftonline.de/");
      case "AZURESTACKCLOUD":
        return fromFile(envFile, allowedDirectories);
      default:
        throw ProviderException.invalidArgument(
            "cloudName: there is no cloud environment matching the name "
                + (name.matches("[A-Za-z]{1,64}") ? "\"" + name + "\"" : "given"));
    }
  }

  private static AzureCloud fromFile(String envFile, List<Path> allowedDirectories) {
    if (envFile.isEmpty()) {
      throw ProviderException.invalidArgument(
          "cloudEnvFileName is required when cloudName is AzureStackCloud");
    }
    Path file;
    try {
      file = Path.of(envFile).normalize();
    } catch (RuntimeException e) {
      throw ProviderException.invalidArgument("cloudEnvFileName is not a valid path");
    }
    boolean allowed =
        file.isAbsolute()
            && allowedDirectories.stream()
                .anyMatch(dir -> file.startsWith(dir.toAbsolutePath().normalize()));
    if (!allowed) {
      Path parent = file.isAbsolute() ? file.getParent() : null;
      throw ProviderException.refusedBySetting(
          "cloudEnvFileName is not in a directory the operator allowed",
          new OperatorSetting(
              AzureOptions.CLOUD_ENV_DIR.flag(),
              parent == null ? "DIR" : parent.toString(),
              AzureOptions.CLOUD_ENV_DIR.chartValue()));
    }
    JsonNode json;
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE) {
        throw ProviderException.invalidArgument(
            "cloudEnvFileName does not name a readable cloud environment file");
      }
      json = JsonMappers.READER.readTree(Files.readAllBytes(file));
    } catch (IOException | JacksonException e) {
      throw ProviderException.invalidArgument(
          "cloudEnvFileName is not a JSON cloud environment file");
    }
    String suffix = json == null ? "" : json.path("keyVaultDNSSuffix").asString("");
    String authority = json == null ? "" : json.path("activeDirectoryEndpoint").asString("");
    if (!suffix.matches("[A-Za-z0-9.-]{1,253}") || !authority.startsWith("https://")) {
      throw ProviderException.invalidArgument(
          "cloudEnvFileName must set keyVaultDNSSuffix and an https activeDirectoryEndpoint");
    }
    URI.create(authority);
    JsonNode name = json.path("name");
    return new AzureCloud(
        // An object or array name reads as "", as under Jackson 2 (Jackson 3 gives the default).
        name.isContainer() ? "" : name.asString(STACK),
        suffix,
        authority.endsWith("/") ? authority : authority + "/");
  }
}
