// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.yaml.BoundedYaml;
import io.secretsstore.provider.yaml.YamlLimits;
import io.secretsstore.provider.yaml.YamlRefusal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads the manifests given to {@code mount} (a SecretProviderClass, a Secret) safely, and walks
 * them with errors that name keys, never values. Loading is core's {@link BoundedYaml} under the
 * manifest limits: no tag ever loads a class, duplicate keys are refused as Kubernetes refuses
 * them, size, nodes, depth and aliases are bounded, and only line and column of a fault are shown.
 */
final class SafeYaml {
  static final int MAX_CODE_POINTS = YamlLimits.MANIFEST.maxChars();

  private SafeYaml() {}

  /**
   * Loads the single YAML document in a file, which must be a mapping.
   *
   * @param what names the file in messages, e.g. {@code --spc}
   */
  static Map<?, ?> loadMapping(Path file, String what) {
    byte[] bytes;
    try {
      if (Files.size(file) > 4L * MAX_CODE_POINTS) {
        throw new DriverFailure(
            what + " " + file + " is larger than " + MAX_CODE_POINTS + " characters");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DriverFailure(
          "cannot read " + what + " " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    return loadMapping(utf8(bytes, what), what);
  }

  /** Loads the single YAML document in a text, which must be a mapping. */
  static Map<?, ?> loadMapping(String text, String what) {
    Object document;
    try {
      document = BoundedYaml.load(text, what, new CoreSchema(), YamlLimits.MANIFEST);
    } catch (YamlRefusal e) {
      throw new DriverFailure(what + " " + e.getMessage());
    }
    if (!(document instanceof Map<?, ?> mapping)) {
      throw new DriverFailure(what + " must hold one YAML mapping (a Kubernetes manifest)");
    }
    return mapping;
  }

  /** The mapping under {@code key}, or empty when absent or null. */
  static Optional<Map<?, ?>> mapping(Map<?, ?> parent, String key, String path, String what) {
    Object value = parent.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Map<?, ?> mapping)) {
      throw new DriverFailure(what + ": " + path + " must be a mapping");
    }
    return Optional.of(mapping);
  }

  /** The string under {@code key}, or empty when absent or null. */
  static Optional<String> string(Map<?, ?> parent, String key, String path, String what) {
    Object value = parent.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw new DriverFailure(what + ": " + path + " must be a string");
    }
    return Optional.of(text);
  }

  /** A key of a string map, checked to be a string; non-plain keys are named by position. */
  static String key(Object key, int index, String path, String what) {
    if (!(key instanceof String text)) {
      throw new DriverFailure(
          what + ": " + path + " has a key #" + index + " that is not a string");
    }
    return text;
  }

  /** How to name a key of a map in a message: quoted when plain, by position otherwise. */
  static String describe(String path, String key, int index) {
    return path + "." + (SafeText.isPlainName(key) ? key : "#" + index);
  }

  private static String utf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DriverFailure(what + " is not UTF-8 text");
    }
  }
}
