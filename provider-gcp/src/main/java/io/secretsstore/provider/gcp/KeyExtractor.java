// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.yaml.BoundedYaml;
import io.secretsstore.provider.yaml.YamlLimits;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code extractJSONKey} and {@code extractYAMLKey} as upstream's {@code util/key_extractor.go}:
 * the payload must be a mapping, the key a top-level key, and its value a string, which replaces
 * the file's content. Messages keep upstream's wording but never echo the payload or a parser
 * message (which would quote it); the key is named when it is a plain name.
 */
final class KeyExtractor {
  private KeyExtractor() {}

  static byte[] json(byte[] payload, String key) {
    JsonNode root;
    try {
      root = JsonMappers.READER.readTree(payload);
    } catch (JacksonException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw failed("failed to unmarshal JSON. Invalid JSON format for key extraction");
    }
    JsonNode value = root.get(key);
    if (value == null) {
      throw failed("key " + quoted(key) + " not found in JSON");
    }
    if (!value.isString()) {
      throw failed("unsupported value type for key " + quoted(key));
    }
    return value.stringValue().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] yaml(byte[] payload, String key) {
    Object root;
    try {
      // The payload is the tenant's own secret: bounded like its parameters, so a deeply nested
      // value is a refusal, not a StackOverflowError on a shared fetch thread.
      root =
          BoundedYaml.load(
              new String(payload, StandardCharsets.UTF_8),
              "secret",
              new CoreSchema(),
              YamlLimits.PARAMETER);
    } catch (RuntimeException e) {
      root = null;
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw failed("failed to unmarshal YAML. Invalid YAML format for key extraction");
    }
    if (!map.containsKey(key)) {
      throw failed("key " + quoted(key) + " not found in YAML");
    }
    if (!(map.get(key) instanceof String text)) {
      throw failed("unsupported value type for key " + quoted(key));
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String quoted(String key) {
    return SafeText.isPlainName(key) ? "'" + key + "'" : "(not shown)";
  }

  /** The secret exists but cannot be served as the SecretProviderClass asks. */
  private static ProviderException failed(String message) {
    return ProviderException.of(ErrorKind.FAILED_PRECONDITION, message);
  }
}
