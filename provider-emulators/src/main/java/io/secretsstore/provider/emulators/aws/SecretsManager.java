// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import static io.secretsstore.provider.emulators.aws.AwsErrors.error;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Secrets Manager's secrets, versions and staging labels, per region, and its JSON operations.
 * Thread-safe (one lock).
 */
final class SecretsManager {
  static final String ACCOUNT = "111122223333";
  static final String CURRENT = "AWSCURRENT";
  static final String PREVIOUS = "AWSPREVIOUS";
  static final String ARN_SUFFIX = "AbCdEf";

  private static final class Version {
    final String id;
    final String string;
    final byte[] binary;
    final Instant created = Instant.now();
    final Set<String> stages = new LinkedHashSet<>();

    Version(String id, String string, byte[] binary) {
      this.id = id;
      this.string = string;
      this.binary = binary;
    }
  }

  private static final class Secret {
    final String region;
    final String name;
    final String arn;
    final Instant created = Instant.now();
    Instant changed = created;
    final Map<String, Version> versions = new LinkedHashMap<>();

    Secret(String region, String name, String arn) {
      this.region = region;
      this.name = name;
      this.arn = arn;
    }
  }

  private final Map<String, Secret> secrets = new LinkedHashMap<>();
  private final Credentials credentials;

  SecretsManager(Credentials credentials) {
    this.credentials = credentials;
  }

  static String arn(String region, String name) {
    return "arn:aws:secretsmanager:"
        + region
        + ":"
        + ACCOUNT
        + ":secret:"
        + name
        + "-"
        + ARN_SUFFIX;
  }

  /** The name a SecretId (name or ARN) refers to, for fault resources. */
  static String nameOf(String secretId) {
    if (secretId != null && secretId.startsWith("arn:aws:secretsmanager:")) {
      int at = secretId.indexOf(":secret:");
      if (at >= 0) {
        String rest = secretId.substring(at + ":secret:".length());
        return rest.endsWith("-" + ARN_SUFFIX)
            ? rest.substring(0, rest.length() - ARN_SUFFIX.length() - 1)
            : rest;
      }
    }
    return secretId;
  }

  synchronized String put(
      String region,
      String name,
      String string,
      byte[] binary,
      String versionId,
      List<String> stages) {
    return put(region, name, arn(region, name), string, binary, versionId, stages);
  }

  /**
   * Creates a secret under an ARN of the caller's choosing (any account, any suffix), as examples
   * written for real AWS name them: {@code
   * arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>}.
   */
  synchronized String putAt(String arn, String string) {
    String[] parts = arn.split(":", 7);
    int dash = parts.length == 7 ? parts[6].lastIndexOf('-') : -1;
    if (!arn.startsWith("arn:aws:secretsmanager:") || !"secret".equals(parts[5]) || dash <= 0) {
      throw new IllegalArgumentException("not a Secrets Manager secret ARN with a suffix: " + arn);
    }
    return put(parts[3], parts[6].substring(0, dash), arn, string, null, null, List.of(CURRENT));
  }

  private String put(
      String region,
      String name,
      String arn,
      String string,
      byte[] binary,
      String versionId,
      List<String> stages) {
    Secret secret =
        secrets.computeIfAbsent(region + "\n" + name, k -> new Secret(region, name, arn));
    if (!secret.arn.equals(arn)) {
      throw new IllegalArgumentException(
          "secret " + name + " in " + region + " already has the ARN " + secret.arn);
    }
    String id = versionId == null ? UUID.randomUUID().toString() : versionId;
    Version existing = secret.versions.get(id);
    if (existing != null) {
      throw error(
          400, "ResourceExistsException", "A resource with the ID you requested already exists.");
    }
    Version version = new Version(id, string, binary == null ? null : binary.clone());
    secret.versions.put(id, version);
    for (String stage : stages) {
      moveStage(secret, version, stage);
    }
    secret.changed = Instant.now();
    return id;
  }

  synchronized void label(String region, String name, String versionId, String stage) {
    Secret secret = secrets.get(region + "\n" + name);
    if (secret == null || !secret.versions.containsKey(versionId)) {
      throw new IllegalArgumentException(
          "no version " + versionId + " of secret " + name + " in " + region);
    }
    moveStage(secret, secret.versions.get(versionId), stage);
    secret.changed = Instant.now();
  }

  private static void moveStage(Secret secret, Version target, String stage) {
    if (target.stages.contains(stage)) {
      return;
    }
    Version holder = null;
    for (Version v : secret.versions.values()) {
      if (v.stages.remove(stage)) {
        holder = v;
      }
    }
    target.stages.add(stage);
    if (stage.equals(CURRENT) && holder != null) {
      for (Version v : secret.versions.values()) {
        v.stages.remove(PREVIOUS);
      }
      holder.stages.add(PREVIOUS);
    }
  }

  private Secret find(SigV4.Caller caller, String secretId, String action) {
    if (secretId == null || secretId.isEmpty()) {
      throw error(400, "InvalidParameterException", "SecretId must be given.");
    }
    String name = nameOf(secretId);
    Secret secret = secrets.get(caller.region() + "\n" + name);
    if (secretId.startsWith("arn:")) {
      // An ARN names exactly one secret, in the region the request was sent to.
      secret =
          secrets.values().stream()
              .filter(s -> s.arn.equals(secretId) && s.region.equals(caller.region()))
              .findFirst()
              .orElse(null);
    }
    if (secret != null && !credentials.allowed(caller.session(), secret.name)) {
      throw denied(caller, "secretsmanager:" + action, secretId);
    }
    if (secret == null) {
      if (!credentials.allowed(caller.session(), name)) {
        throw denied(caller, "secretsmanager:" + action, secretId);
      }
      throw error(
          400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }
    return secret;
  }

  static AwsErrors.AwsException denied(SigV4.Caller caller, String action, String resource) {
    String who =
        caller.session().roleArn() == null ? "the static test user" : caller.session().roleArn();
    return error(
        400,
        "AccessDeniedException",
        "User: "
            + who
            + " is not authorized to perform: "
            + action
            + " on resource: "
            + resource
            + " because no identity-based policy allows the "
            + action
            + " action");
  }

  private static Version select(Secret secret, String versionId, String stage) {
    if (versionId != null) {
      Version v = secret.versions.get(versionId);
      if (v == null) {
        throw error(
            400,
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
      }
      if (stage != null && !v.stages.contains(stage)) {
        throw error(
            400,
            "InvalidRequestException",
            "You provided a VersionStage that is not associated to the provided VersionId.");
      }
      return v;
    }
    String wanted = stage == null ? CURRENT : stage;
    for (Version v : secret.versions.values()) {
      if (v.stages.contains(wanted)) {
        return v;
      }
    }
    throw error(
        400,
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret value for staging label: " + wanted);
  }

  synchronized Map<String, Object> getSecretValue(SigV4.Caller caller, JsonNode body) {
    Secret secret = find(caller, text(body, "SecretId"), "GetSecretValue");
    return value(secret, select(secret, text(body, "VersionId"), text(body, "VersionStage")));
  }

  private static Map<String, Object> value(Secret secret, Version version) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ARN", secret.arn);
    out.put("Name", secret.name);
    out.put("VersionId", version.id);
    if (version.string != null) {
      out.put("SecretString", version.string);
    } else {
      out.put("SecretBinary", Base64.getEncoder().encodeToString(version.binary));
    }
    out.put("VersionStages", List.copyOf(version.stages));
    out.put("CreatedDate", epoch(version.created));
    return out;
  }

  synchronized Map<String, Object> describeSecret(SigV4.Caller caller, JsonNode body) {
    Secret secret = find(caller, text(body, "SecretId"), "DescribeSecret");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ARN", secret.arn);
    out.put("Name", secret.name);
    out.put("LastChangedDate", epoch(secret.changed));
    out.put("CreatedDate", epoch(secret.created));
    Map<String, Object> stages = new LinkedHashMap<>();
    for (Version v : secret.versions.values()) {
      if (!v.stages.isEmpty()) {
        stages.put(v.id, List.copyOf(v.stages));
      }
    }
    out.put("VersionIdsToStages", stages);
    return out;
  }

  synchronized Map<String, Object> listSecretVersionIds(SigV4.Caller caller, JsonNode body) {
    Secret secret = find(caller, text(body, "SecretId"), "ListSecretVersionIds");
    boolean deprecated = body.path("IncludeDeprecated").asBoolean(false);
    List<Object> versions = new ArrayList<>();
    for (Version v : secret.versions.values()) {
      if (deprecated || !v.stages.isEmpty()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("VersionId", v.id);
        entry.put("VersionStages", List.copyOf(v.stages));
        entry.put("CreatedDate", epoch(v.created));
        versions.add(entry);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Versions", versions);
    out.put("ARN", secret.arn);
    out.put("Name", secret.name);
    return out;
  }

  synchronized Map<String, Object> putSecretValue(SigV4.Caller caller, JsonNode body) {
    Secret secret = find(caller, text(body, "SecretId"), "PutSecretValue");
    String string = text(body, "SecretString");
    String binary = text(body, "SecretBinary");
    if ((string == null) == (binary == null)) {
      throw error(
          400,
          "InvalidParameterException",
          "You must provide either SecretString or SecretBinary.");
    }
    List<String> stages = new ArrayList<>();
    body.path("VersionStages").forEach(s -> stages.add(s.asText()));
    if (stages.isEmpty()) {
      stages.add(CURRENT);
    }
    String id =
        put(
            secret.region,
            secret.name,
            string,
            binary == null ? null : Base64.getDecoder().decode(binary),
            text(body, "ClientRequestToken"),
            stages);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ARN", secret.arn);
    out.put("Name", secret.name);
    out.put("VersionId", id);
    out.put("VersionStages", stages);
    return out;
  }

  synchronized Map<String, Object> batchGetSecretValue(SigV4.Caller caller, JsonNode body) {
    if (body.has("Filters")) {
      throw error(
          400,
          "InvalidParameterException",
          "The emulator supports SecretIdList only, not Filters.");
    }
    JsonNode ids = body.path("SecretIdList");
    if (!ids.isArray() || ids.isEmpty() || ids.size() > 20) {
      throw error(400, "InvalidParameterException", "SecretIdList must hold 1 to 20 secret IDs.");
    }
    List<Object> values = new ArrayList<>();
    List<Object> errors = new ArrayList<>();
    for (JsonNode id : ids) {
      try {
        Secret secret = find(caller, id.asText(), "GetSecretValue");
        values.add(value(secret, select(secret, null, null)));
      } catch (AwsErrors.AwsException e) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("SecretId", id.asText());
        entry.put("ErrorCode", e.code);
        entry.put("Message", e.getMessage());
        errors.add(entry);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("SecretValues", values);
    out.put("Errors", errors);
    return out;
  }

  static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  static double epoch(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
