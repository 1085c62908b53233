// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import static io.secretsstore.provider.emulators.aws.AwsErrors.error;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SSM Parameter Store: versioned parameters with labels, per region, and {@code GetParameters}.
 * Thread-safe (one lock).
 */
final class ParameterStore {
  static final int MAX_NAMES = 10;

  private record Version(
      long number, String value, boolean secure, Instant modified, Set<String> labels) {}

  private final Map<String, List<Version>> parameters = new LinkedHashMap<>();
  private final Credentials credentials;

  ParameterStore(Credentials credentials) {
    this.credentials = credentials;
  }

  static String arn(String region, String name) {
    return "arn:aws:ssm:"
        + region
        + ":"
        + SecretsManager.ACCOUNT
        + ":parameter"
        + (name.startsWith("/") ? name : "/" + name);
  }

  synchronized long put(String region, String name, String value, boolean secure) {
    List<Version> versions =
        parameters.computeIfAbsent(region + "\n" + name, k -> new ArrayList<>());
    long number = versions.size() + 1L;
    versions.add(new Version(number, value, secure, Instant.now(), new LinkedHashSet<>()));
    return number;
  }

  synchronized void label(String region, String name, long version, String label) {
    List<Version> versions = parameters.get(region + "\n" + name);
    if (versions == null || version < 1 || version > versions.size()) {
      throw new IllegalArgumentException(
          "no version " + version + " of parameter " + name + " in " + region);
    }
    versions.forEach(v -> v.labels().remove(label));
    versions.get((int) version - 1).labels().add(label);
  }

  /**
   * The base name of a selector such as {@code /app/db:3} or {@code /app/db:prod}, or an ARN's
   * name.
   */
  static String baseName(String requested) {
    String name = requested;
    if (name.startsWith("arn:aws:ssm:")) {
      int at = name.indexOf(":parameter");
      name = at < 0 ? name : name.substring(at + ":parameter".length());
    }
    int colon = name.lastIndexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }

  synchronized Map<String, Object> getParameters(SigV4.Caller caller, JsonNode body) {
    JsonNode names = body.path("Names");
    if (!names.isArray() || names.isEmpty()) {
      throw error(
          400,
          "ValidationException",
          "1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null");
    }
    if (names.size() > MAX_NAMES) {
      throw error(
          400,
          "ValidationException",
          "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to "
              + MAX_NAMES);
    }
    boolean decrypt = body.path("WithDecryption").asBoolean(false);
    List<Object> found = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (JsonNode node : names) {
      String requested = node.asText();
      String name = baseName(requested);
      String selector = requested.startsWith("arn:") ? null : requested.substring(name.length());
      if (requested.startsWith("arn:")) {
        int colon = requested.lastIndexOf(':');
        String tail = requested.substring(requested.indexOf(":parameter") + ":parameter".length());
        selector = tail.contains(":") ? requested.substring(colon) : "";
        name = tail.contains(":") ? tail.substring(0, tail.lastIndexOf(':')) : tail;
      }
      if (!credentials.allowed(caller.session(), name)
          && !credentials.allowed(caller.session(), trimSlash(name))) {
        throw SecretsManager.denied(caller, "ssm:GetParameters", arn(caller.region(), name));
      }
      List<Version> versions = parameters.get(caller.region() + "\n" + name);
      if (versions == null && requested.startsWith("arn:")) {
        versions = parameters.get(caller.region() + "\n" + trimSlash(name));
        name = trimSlash(name);
      }
      Version version = versions == null ? null : select(versions, selector);
      if (version == null) {
        invalid.add(requested);
        continue;
      }
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("Name", name);
      p.put("Type", version.secure() ? "SecureString" : "String");
      p.put("Value", version.secure() && !decrypt ? ciphertext(version.value()) : version.value());
      p.put("Version", version.number());
      if (!selector.isEmpty()) {
        p.put("Selector", selector);
      }
      p.put("LastModifiedDate", SecretsManager.epoch(version.modified()));
      p.put("ARN", arn(caller.region(), name));
      p.put("DataType", "text");
      found.add(p);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Parameters", found);
    out.put("InvalidParameters", invalid);
    return out;
  }

  private static String trimSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private static Version select(List<Version> versions, String selector) {
    if (selector.isEmpty()) {
      return versions.get(versions.size() - 1);
    }
    String key = selector.substring(1);
    if (!key.isEmpty() && key.chars().allMatch(Character::isDigit)) {
      long number;
      try {
        number = Long.parseLong(key);
      } catch (NumberFormatException e) {
        return null;
      }
      return number >= 1 && number <= versions.size() ? versions.get((int) number - 1) : null;
    }
    for (Version v : versions) {
      if (v.labels().contains(key)) {
        return v;
      }
    }
    return null;
  }

  /** What AWS returns for a SecureString without decryption: an opaque blob, never the value. */
  private static String ciphertext(String value) {
    byte[] digest = SigV4.sha256(value.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder()
        .encodeToString(
            ("AQICAHemulator" + HexFormat.of().formatHex(digest))
                .getBytes(StandardCharsets.US_ASCII));
  }
}
