// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The SecretProviderClass parameters of upstream 3.x ({@code server/server.go}, {@code
 * provider/secret_descriptor.go}), validated with upstream's rules and messages. Messages name the
 * parameter, the entry position and, when it is a plain name, the object name; never a value that
 * may be secret or arbitrary.
 *
 * @param region the primary region
 * @param failoverRegion the failover region, or empty
 * @param usePodIdentity EKS Pod Identity instead of IRSA
 * @param preferredAddressType which EKS Pod Identity agent address to use
 * @param objects the validated entries, in order
 */
record AwsParameters(
    String region,
    String failoverRegion,
    boolean usePodIdentity,
    PodIdentityAgent.AddressType preferredAddressType,
    List<AwsSpec> objects) {
  static final String OBJECTS = "objects";
  static final String REGION = "region";
  static final String FAILOVER_REGION = "failoverRegion";
  static final String PATH_TRANSLATION = "pathTranslation";
  static final String USE_POD_IDENTITY = "usePodIdentity";
  static final String PREFERRED_ADDRESS_TYPE = "preferredAddressType";

  private static final Pattern PERMISSION = Pattern.compile("^[0-7]{4}$");
  private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
  private static final Set<String> GO_FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

  AwsParameters {
    objects = List.copyOf(objects);
  }

  /** As {@link #parse(Map, Supplier, FileMode)} with a fixed provider region (empty: none). */
  static AwsParameters parse(
      Map<String, String> attributes, String defaultRegion, FileMode defaultMode) {
    return parse(
        attributes,
        () -> {
          if (defaultRegion == null || defaultRegion.isEmpty()) {
            throw ProviderException.invalidArgument(
                "Region not found: set the region parameter or start the provider with --aws-region (env AWS_REGION)");
          }
          return defaultRegion;
        },
        defaultMode);
  }

  /**
   * Parses and validates the attributes of one request.
   *
   * @param defaultRegion the region when the parameter is unset, in upstream's order: the
   *     provider's ({@code --aws-region} or {@code AWS_REGION}), then the node's label; asked only
   *     when needed, since the node lookup costs Kubernetes requests
   * @param defaultMode the request's {@code permission}
   */
  static AwsParameters parse(
      Map<String, String> attributes, Supplier<String> defaultRegion, FileMode defaultMode) {
    String region = attributes.getOrDefault(REGION, "");
    if (region.isEmpty()) {
      region = defaultRegion.get();
    }
    String failoverRegion = attributes.getOrDefault(FAILOVER_REGION, "");
    if (failoverRegion.equals(region)) {
      throw ProviderException.invalidArgument(FAILOVER_REGION + " must be different from region");
    }
    String translate = translation(attributes.getOrDefault(PATH_TRANSLATION, ""));
    boolean podIdentity = parseBool(attributes.getOrDefault(USE_POD_IDENTITY, ""));
    PodIdentityAgent.AddressType addressType =
        PodIdentityAgent.AddressType.parse(attributes.getOrDefault(PREFERRED_ADDRESS_TYPE, ""));
    if (addressType == null) {
      throw PodIdentityAgent.invalidAddressType(PREFERRED_ADDRESS_TYPE);
    }
    List<AwsObject> entries = ObjectsYaml.parse(attributes.get(OBJECTS));
    List<AwsSpec> specs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Map<String, AwsObject> byObjectName = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      AwsObject entry = entries.get(i);
      String where = SafeText.element(OBJECTS, i, entry.objectName());
      AwsSpec spec;
      try {
        spec = validate(entry, region, failoverRegion, translate, defaultMode);
        checkDuplicateName(entry, byObjectName.put(entry.objectName(), entry));
      } catch (IllegalArgumentException e) {
        throw ProviderException.invalidArgument(where + ": " + e.getMessage());
      }
      if (!names.add(spec.fileName())) {
        throw ProviderException.invalidArgument(where + ": Name already in use for objectAlias");
      }
      for (int j = 0; j < spec.jmes().size(); j++) {
        if (!names.add(spec.jmes().get(j).fileName())) {
          throw ProviderException.invalidArgument(
              where + ".jmesPath[" + j + "]: Name already in use for objectAlias");
        }
      }
      specs.add(spec);
    }
    return new AwsParameters(region, failoverRegion, podIdentity, addressType, specs);
  }

  /**
   * Upstream's four cases (#50) in which an objectName seen before is refused: the same alias (or
   * none) and the same version label (or none). Other repeats may still collide on the file name,
   * which the caller refuses next. Aliases and labels are names, not values, so they may be shown
   * when plain.
   */
  private static void checkDuplicateName(AwsObject entry, AwsObject earlier) {
    if (earlier == null) {
      return;
    }
    boolean sameAlias = entry.objectAlias().equals(earlier.objectAlias());
    boolean sameLabel = entry.objectVersionLabel().equals(earlier.objectVersionLabel());
    if (!sameAlias || !sameLabel) {
      return;
    }
    String alias = entry.objectAlias().isEmpty() ? "no object alias" : "duplicate object alias";
    String label =
        entry.objectVersionLabel().isEmpty() ? "no version label" : "duplicate version label";
    throw new IllegalArgumentException(
        "found descriptor with duplicate object name, " + alias + ", and " + label);
  }

  /** The replacement for {@code /}, or empty when translation is off. */
  private static String translation(String value) {
    if (value.isEmpty()) {
      return "_";
    }
    if (value.equalsIgnoreCase("false")) {
      return "";
    }
    if (value.getBytes(StandardCharsets.UTF_8).length != 1) {
      throw ProviderException.invalidArgument(
          PATH_TRANSLATION + " must be either 'False' or a single character string");
    }
    return value;
  }

  /** Go's strconv.ParseBool; empty means false (IRSA). */
  private static boolean parseBool(String value) {
    if (value.isEmpty() || GO_FALSE.contains(value)) {
      return false;
    }
    if (GO_TRUE.contains(value)) {
      return true;
    }
    throw ProviderException.invalidArgument(
        "failed to parse " + USE_POD_IDENTITY + ": must be true or false");
  }

  /**
   * One entry's rules, in upstream's order; failures are IllegalArgumentExceptions with the reason.
   */
  private static AwsSpec validate(
      AwsObject entry,
      String region,
      String failoverRegion,
      String translate,
      FileMode defaultMode) {
    String name = entry.objectName();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Object name must be specified");
    }
    SecretType type = type(entry.objectType(), name);
    checkArnRegion(name, region, "region");
    if (type == SecretType.SSM_PARAMETER
        && !entry.objectVersion().isEmpty()
        && !entry.objectVersionLabel().isEmpty()) {
      throw new IllegalArgumentException(
          "ssm parameters can not specify both objectVersion and objectVersionLabel");
    }
    String fileName =
        fileName(entry.objectAlias().isEmpty() ? name : entry.objectAlias(), translate);
    if (fileName.contains("/../") || fileName.startsWith("../") || fileName.endsWith("/..")) {
      throw new IllegalArgumentException("path can not contain ../");
    }
    FileMode mode = permission(entry.filePermission(), defaultMode, "filePermission");
    List<AwsSpec.Jmes> jmes = new ArrayList<>();
    for (int j = 0; j < entry.jmesPath().size(); j++) {
      AwsObject.JmesEntry item = entry.jmesPath().get(j);
      String at = "jmesPath[" + j + "]";
      if (item.path().isEmpty()) {
        throw new IllegalArgumentException(at + ": JMES Path must be specified");
      }
      if (item.objectAlias().isEmpty()) {
        throw new IllegalArgumentException(at + ": Object alias must be specified for JMES object");
      }
      try {
        JmesExtractor.compile(item.path());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ".path is not a valid JMESPath expression");
      }
      jmes.add(
          new AwsSpec.Jmes(
              item.path(),
              item.objectAlias(),
              permission(item.filePermission(), mode, at + ".filePermission")));
    }
    AwsSpec.Target primary =
        new AwsSpec.Target(region, name, entry.objectVersion(), entry.objectVersionLabel());
    AwsSpec.Target failover = null;
    AwsObject.FailoverObject fo = entry.failover();
    if (fo != null) {
      if (entry.objectAlias().isEmpty()) {
        throw new IllegalArgumentException(
            "object alias must be specified for objects with failover entries");
      }
      if (failoverRegion.isEmpty()) {
        throw new IllegalArgumentException("failoverObject requires the failoverRegion parameter");
      }
      if (fo.objectName().isEmpty()) {
        throw new IllegalArgumentException("failoverObject: Object name must be specified");
      }
      if (!fo.objectVersion().equals(entry.objectVersion())) {
        throw new IllegalArgumentException(
            "failoverObject.objectVersion must match the primary objectVersion");
      }
      SecretType failoverType = type(entry.objectType(), fo.objectName());
      if (failoverType != type) {
        throw new IllegalArgumentException(
            "failoverObject must have the same type as the primary object");
      }
      checkArnRegion(fo.objectName(), failoverRegion, "failoverRegion");
      if (type == SecretType.SSM_PARAMETER
          && !fo.objectVersion().isEmpty()
          && !fo.objectVersionLabel().isEmpty()) {
        throw new IllegalArgumentException(
            "ssm parameters can not specify both objectVersion and objectVersionLabel");
      }
      failover =
          new AwsSpec.Target(
              failoverRegion, fo.objectName(), fo.objectVersion(), fo.objectVersionLabel());
    } else if (!failoverRegion.isEmpty()) {
      failover =
          new AwsSpec.Target(
              failoverRegion, name, entry.objectVersion(), entry.objectVersionLabel());
    }
    return new AwsSpec(type, fileName, mode, primary, failover, jmes);
  }

  /** The type from objectType and, for an ARN, its service; they must agree. */
  private static SecretType type(String objectType, String name) {
    SecretType declared = null;
    if (!objectType.isEmpty()) {
      declared = SecretType.fromObjectType(objectType);
      if (declared == null) {
        throw new IllegalArgumentException(
            "Invalid objectType: must be secretsmanager or ssmparameter");
      }
    }
    if (!Arn.looksLikeArn(name)) {
      if (declared == null) {
        throw new IllegalArgumentException("Must use objectType when a full ARN is not specified");
      }
      return declared;
    }
    Arn arn = Arn.parse(name);
    if (arn == null) {
      throw new IllegalArgumentException("Invalid ARN format in objectName");
    }
    SecretType fromArn = SecretType.fromArnService(arn.service());
    if (fromArn == null) {
      throw new IllegalArgumentException("Invalid service in ARN: must be secretsmanager or ssm");
    }
    if (declared != null && declared != fromArn) {
      throw new IllegalArgumentException("objectType does not match the ARN's service");
    }
    return fromArn;
  }

  private static void checkArnRegion(String name, String region, String key) {
    if (!Arn.looksLikeArn(name)) {
      return;
    }
    Arn arn = Arn.parse(name);
    if (arn == null) {
      throw new IllegalArgumentException("Invalid ARN format in objectName");
    }
    if (!arn.region().equals(region)) {
      throw new IllegalArgumentException("ARN region must match " + key);
    }
  }

  private static String fileName(String name, String translate) {
    if (!translate.isEmpty()) {
      return name.replace("/", translate);
    }
    int start = 0;
    while (start < name.length() && name.charAt(start) == '/') {
      start++;
    }
    return name.substring(start);
  }

  private static FileMode permission(String value, FileMode inherited, String key) {
    if (value.isEmpty()) {
      return inherited;
    }
    if (!PERMISSION.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Invalid File Permission: " + key + " must be 4 octal digits, e.g. \"0640\"");
    }
    int bits = Integer.parseInt(value, 8);
    if (bits > 0777) {
      throw new IllegalArgumentException(
          "Invalid File Permission: " + key + " must not set setuid, setgid or sticky bits");
    }
    return new FileMode(bits);
  }
}
