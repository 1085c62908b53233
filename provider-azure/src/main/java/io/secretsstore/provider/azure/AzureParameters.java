// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SecretProviderClass parameters of upstream 1.8 (reference A1-A2), trimmed and validated with
 * upstream's messages. Checks upstream makes only at fetch time (object type, formats) are made
 * here, before any call; duplicate file names, which upstream does not detect, are refused.
 *
 * @param vaultName {@code keyvaultName}
 * @param tenantId {@code tenantID}, else {@code tenantId}
 * @param cloudName {@code cloudName}, empty for the provider's default
 * @param cloudEnvFile {@code cloudEnvFileName}, empty when unset
 * @param clientId {@code clientID}
 * @param usePodIdentity {@code usePodIdentity}
 * @param useVmManagedIdentity {@code useVMManagedIdentity}
 * @param useAzureTokenProxy {@code useAzureTokenProxy}
 * @param userAssignedIdentityId {@code userAssignedIdentityID}
 * @param objects the objects, in order
 */
record AzureParameters(
    String vaultName,
    String tenantId,
    String cloudName,
    String cloudEnvFile,
    String clientId,
    boolean usePodIdentity,
    boolean useVmManagedIdentity,
    boolean useAzureTokenProxy,
    String userAssignedIdentityId,
    List<AzureSpec> objects) {
  private static final Pattern VAULT_NAME = Pattern.compile("[-A-Za-z0-9]{3,24}");
  private static final Pattern OCTAL = Pattern.compile("[0-7]+");

  AzureParameters {
    objects = List.copyOf(objects);
  }

  /**
   * Parses the attributes of one request.
   *
   * @param writeSeparateFiles whether certificate-backed secrets also get {@code .crt} and {@code
   *     .key} files (their names are reserved for the duplicate check)
   */
  static AzureParameters parse(
      Map<String, String> attributes, FileMode defaultMode, boolean writeSeparateFiles) {
    String vaultName = value(attributes, "keyvaultName");
    if (vaultName.isEmpty()) {
      throw ProviderException.invalidArgument("keyvaultName is not set");
    }
    if (!VAULT_NAME.matcher(vaultName).matches()) {
      throw ProviderException.invalidArgument(
          "Invalid vault name: keyvaultName must match [-a-zA-Z0-9]{3,24}");
    }
    String tenantId = value(attributes, "tenantID");
    if (tenantId.isEmpty()) {
      tenantId = value(attributes, "tenantId");
    }
    if (tenantId.isEmpty()) {
      throw ProviderException.invalidArgument("tenantId is not provided");
    }
    if (!tenantId.matches("[A-Za-z0-9.-]{1,256}")) {
      throw ProviderException.invalidArgument("tenantId must be a tenant id or domain name");
    }
    boolean podIdentity = bool(attributes, "usePodIdentity");
    boolean vmIdentity = bool(attributes, "useVMManagedIdentity");
    boolean tokenProxy = bool(attributes, "useAzureTokenProxy");
    if ((podIdentity ? 1 : 0) + (vmIdentity ? 1 : 0) + (tokenProxy ? 1 : 0) > 1) {
      throw ProviderException.invalidArgument(
          "only one identity mode can be enabled at a time: usePodIdentity, "
              + "useVMManagedIdentity and useAzureTokenProxy are mutually exclusive");
    }
    String clientId = value(attributes, "clientID");
    // clientID and userAssignedIdentityID are checked by the mode that reads them (AzureBackend).
    String userAssigned = value(attributes, "userAssignedIdentityID");
    if (!attributes.containsKey("objects")) {
      throw ProviderException.invalidArgument("objects is not set");
    }
    List<AzureSpec> objects = objects(attributes.get("objects"), defaultMode, writeSeparateFiles);
    return new AzureParameters(
        vaultName,
        tenantId,
        value(attributes, "cloudName"),
        value(attributes, "cloudEnvFileName"),
        clientId,
        podIdentity,
        vmIdentity,
        tokenProxy,
        userAssigned,
        objects);
  }

  private static List<AzureSpec> objects(
      String yaml, FileMode defaultMode, boolean writeSeparateFiles) {
    List<Map<String, String>> parsed = ObjectsArray.parse(yaml == null ? "" : yaml);
    List<AzureSpec> specs = new ArrayList<>();
    Map<String, Integer> files = new HashMap<>();
    for (int i = 0; i < parsed.size(); i++) {
      AzureSpec spec = spec(parsed.get(i), i, defaultMode);
      specs.add(spec);
      for (String file : fileNames(spec, writeSeparateFiles)) {
        Integer other = files.putIfAbsent(file, i);
        if (other != null) {
          throw ProviderException.invalidArgument(
              "duplicate file name "
                  + SafeText.name(file, i)
                  + ": objects.array["
                  + other
                  + "] and objects.array["
                  + i
                  + "] both write it; set objectAlias to tell them apart");
        }
      }
    }
    return specs;
  }

  private static AzureSpec spec(Map<String, String> fields, int index, FileMode defaultMode) {
    String where = "objects.array[" + index + "]";
    String name = fields.get("objectName");
    String version = fields.get("objectVersion");
    String typeText = fields.get("objectType");
    String context = AzureSpec.context(typeText, name, version, index) + ": ";
    if (name.isEmpty()) {
      throw ProviderException.invalidArgument(where + ": objectName is not set");
    }
    ObjectType type = ObjectType.of(typeText);
    if (type == null) {
      throw ProviderException.invalidArgument(
          context + "Invalid vaultObjectTypes. Should be secret, key, or cert");
    }
    if (!name.matches("[-A-Za-z0-9]{1,127}")) {
      throw ProviderException.invalidArgument(
          context + "objectName must be a Key Vault object name ([-a-zA-Z0-9]{1,127})");
    }
    if (!version.matches("[A-Za-z0-9]{0,64}")) {
      throw ProviderException.invalidArgument(
          context + "objectVersion must be a Key Vault version id");
    }
    String format = fields.get("objectFormat").toLowerCase(Locale.ROOT);
    if (!format.isEmpty() && !format.equals("pem") && !format.equals("pfx")) {
      throw ProviderException.invalidArgument(
          context + "invalid objectFormat, should be PEM or PFX");
    }
    if (format.equals("pfx") && type != ObjectType.SECRET) {
      throw ProviderException.invalidArgument(
          context + "PFX format only supported for objectType: secret");
    }
    String encodingText = fields.get("objectEncoding").toLowerCase(Locale.ROOT);
    AzureSpec.Encoding encoding =
        switch (encodingText) {
          case "", "utf-8" -> AzureSpec.Encoding.UTF8;
          case "base64" -> AzureSpec.Encoding.BASE64;
          case "hex" -> AzureSpec.Encoding.HEX;
          default ->
              throw ProviderException.invalidArgument(
                  context + "invalid objectEncoding, should be hex, base64 or utf-8");
        };
    if (!encodingText.isEmpty() && type != ObjectType.SECRET) {
      throw ProviderException.invalidArgument(
          context + "objectEncoding only supported for objectType: secret");
    }
    FileMode mode = defaultMode;
    String permission = fields.get("filePermission");
    if (!permission.isEmpty()) {
      if (!OCTAL.matcher(permission).matches()
          || permission.length() > 6
          || Integer.parseInt(permission, 8) > 0777) {
        throw ProviderException.invalidArgument(
            context + "file permission must be a valid octal number");
      }
      mode = new FileMode(Integer.parseInt(permission, 8));
    }
    int history = 1;
    String historyText = fields.get("objectVersionHistory");
    if (!historyText.isEmpty()) {
      try {
        history = Math.max(1, Integer.parseInt(historyText));
      } catch (NumberFormatException e) {
        throw ProviderException.invalidArgument(
            context + "objectVersionHistory must be a 32-bit integer");
      }
    }
    String alias = fields.get("objectAlias");
    String fileName = alias.isEmpty() ? name : alias;
    validateFileName(fileName, context);
    return new AzureSpec(
        name, type, version, fileName, format.equals("pfx"), encoding, mode, history);
  }

  /** Upstream's file-name rule: non-empty, relative, no {@code ..} anywhere. */
  private static void validateFileName(String fileName, String context) {
    if (fileName.isEmpty()) {
      throw ProviderException.invalidArgument(context + "file name must not be empty");
    }
    if (fileName.startsWith("/") || fileName.startsWith("\\") || fileName.matches("^[A-Za-z]:.*")) {
      throw ProviderException.invalidArgument(context + "file name must be a relative path");
    }
    if (fileName.contains("..")) {
      throw ProviderException.invalidArgument(context + "file name must not contain '..'");
    }
  }

  /** Every file an object may write, for the duplicate check. */
  private static List<String> fileNames(AzureSpec spec, boolean writeSeparateFiles) {
    List<String> names = new ArrayList<>();
    if (spec.history() > 1) {
      for (int i = 0; i < spec.history() && i < 1000; i++) {
        names.add(spec.fileName() + "/" + i);
      }
    } else {
      names.add(spec.fileName());
    }
    if (writeSeparateFiles && spec.type() == ObjectType.SECRET && !spec.pfx()) {
      List<String> extra = new ArrayList<>();
      for (String name : names) {
        extra.add(name + ".crt");
        extra.add(name + ".key");
      }
      names.addAll(extra);
    }
    return names;
  }

  private static String value(Map<String, String> attributes, String key) {
    String value = attributes.get(key);
    return value == null ? "" : value.trim();
  }

  /** Go's strconv.ParseBool, empty meaning false. */
  private static boolean bool(Map<String, String> attributes, String key) {
    return switch (value(attributes, key)) {
      case "", "0", "f", "F", "false", "FALSE", "False" -> false;
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      default ->
          throw ProviderException.invalidArgument(
              "failed to parse " + key + ": must be true or false");
    };
  }
}
