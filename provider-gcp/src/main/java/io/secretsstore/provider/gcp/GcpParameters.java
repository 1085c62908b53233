// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SecretProviderClass parameters of upstream 1.x ({@code config/config.go}, {@code server/}),
 * validated with upstream's rules and messages. Every invalid entry is reported in one message that
 * names each of them.
 *
 * @param auth how the mount authenticates
 * @param keyJson the nodePublishSecretRef's {@code key.json} when {@code auth} is {@link
 *     AuthMode#NODE_PUBLISH_SECRET}, otherwise null; a credential, never printed
 * @param entries the validated entries, in order
 */
record GcpParameters(AuthMode auth, String keyJson, List<Entry> entries) {
  static final String SECRETS = "secrets";
  static final String AUTH = "auth";
  static final String KEY_JSON = "key.json";
  private static final Pattern GO_INT =
      Pattern.compile("[+-]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9][0-9_]*)");

  GcpParameters {
    entries = List.copyOf(entries);
  }

  /**
   * One valid entry.
   *
   * @param path the file path ({@code path}, else {@code fileName})
   * @param mode the file mode ({@code mode}, else the request's permission)
   * @param spec what to fetch
   */
  record Entry(String path, FileMode mode, GcpSpec spec) {}

  /** The key.json stays out of logs. */
  @Override
  public String toString() {
    return "GcpParameters[auth=" + auth + ", entries=" + entries + "]";
  }

  /**
   * Parses and validates one request's parameters.
   *
   * @param nodePublishSecrets the nodePublishSecretRef data
   * @param allowNodePublishSecret whether the operator allows key.json (upstream's
   *     ALLOW_NODE_PUBLISH_SECRET)
   * @param defaultMode the request's {@code permission}
   */
  static GcpParameters parse(
      Map<String, String> attributes,
      Map<String, String> nodePublishSecrets,
      boolean allowNodePublishSecret,
      FileMode defaultMode) {
    String keyJson = allowNodePublishSecret ? nodePublishSecrets.get(KEY_JSON) : null;
    AuthMode auth = auth(attributes.getOrDefault(AUTH, ""), keyJson != null);
    String secrets = attributes.get(SECRETS);
    if (secrets == null) {
      throw ProviderException.invalidArgument("missing required '" + SECRETS + "' attribute");
    }
    List<SecretEntry> raw = SecretsYaml.parse(secrets);
    List<Entry> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      SecretEntry entry = raw.get(i);
      try {
        entries.add(validate(entry, defaultMode));
      } catch (IllegalArgumentException e) {
        problems.add(SafeText.element(SECRETS, i, entry.resourceName()) + ": " + e.getMessage());
      }
    }
    if (problems.size() == 1) {
      throw ProviderException.invalidArgument(problems.get(0));
    }
    if (!problems.isEmpty()) {
      throw ProviderException.invalidArgument(
          problems.size()
              + " of "
              + raw.size()
              + " secrets are invalid: "
              + String.join("; ", problems));
    }
    return new GcpParameters(auth, auth == AuthMode.NODE_PUBLISH_SECRET ? keyJson : null, entries);
  }

  /** Upstream's switch on {@code auth}: a key.json (when allowed) excludes an explicit mode. */
  private static AuthMode auth(String value, boolean hasKeyJson) {
    return switch (value) {
      case "provider-adc", "pod-adc" -> {
        if (hasKeyJson) {
          throw ProviderException.invalidArgument(
              "attempting to set both nodePublishSecretRef and " + value + " auth");
        }
        yield value.equals("pod-adc") ? AuthMode.POD_ADC : AuthMode.PROVIDER_ADC;
      }
      case "" -> hasKeyJson ? AuthMode.NODE_PUBLISH_SECRET : AuthMode.POD_ADC;
      default ->
          throw ProviderException.invalidArgument(
              "unknown auth configuration: "
                  + AUTH
                  + " must be \"\", \"pod-adc\" or \"provider-adc\"");
    };
  }

  private static Entry validate(SecretEntry entry, FileMode defaultMode) {
    if (entry.resourceName().isEmpty()) {
      throw new IllegalArgumentException("resourceName must be set");
    }
    ResourceName resource = ResourceName.parse(entry.resourceName());
    if (!entry.extractJsonKey().isEmpty() && !entry.extractYamlKey().isEmpty()) {
      throw new IllegalArgumentException(
          "both ExtractJSONKey and ExtractYAMLKey can't be simultaneously non empty strings");
    }
    String path = entry.path().isEmpty() ? entry.fileName() : entry.path();
    if (path.isEmpty()) {
      throw new IllegalArgumentException("fileName or path must be set");
    }
    // An empty `mode:` is YAML null, which leaves upstream's *int32 unset.
    FileMode mode =
        entry.mode() == null || entry.mode().isEmpty() ? defaultMode : mode(entry.mode());
    return new Entry(
        path, mode, new GcpSpec(resource, entry.extractJsonKey(), entry.extractYamlKey()));
  }

  /**
   * {@code mode} as yaml.v3 reads an int32: decimal ({@code 256}), octal with a leading zero
   * ({@code 0400}) or {@code 0o}, hex, binary. Upstream leaves the range to the driver; here a mode
   * outside 0..0777 is refused at once.
   */
  static FileMode mode(String text) {
    String value = text.strip();
    if (!GO_INT.matcher(value).matches()) {
      throw new IllegalArgumentException("mode must be an integer file mode, e.g. 0400 or 256");
    }
    boolean negative = value.startsWith("-");
    String digits = value.replace("_", "").replaceFirst("^[+-]", "");
    long bits;
    try {
      if (digits.length() > 1 && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X')) {
        bits = Long.parseLong(digits.substring(2), 16);
      } else if (digits.length() > 1 && (digits.charAt(1) == 'b' || digits.charAt(1) == 'B')) {
        bits = Long.parseLong(digits.substring(2), 2);
      } else if (digits.length() > 1 && (digits.charAt(1) == 'o' || digits.charAt(1) == 'O')) {
        bits = Long.parseLong(digits.substring(2), 8);
      } else if (digits.length() > 1 && digits.charAt(0) == '0') {
        bits = Long.parseLong(digits.substring(1), 8);
      } else {
        bits = Long.parseLong(digits);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("mode must be an integer file mode, e.g. 0400 or 256");
    }
    if (negative || bits > 0777) {
      throw new IllegalArgumentException("mode must be between 0 and 0777 (511)");
    }
    return new FileMode((int) bits);
  }
}
