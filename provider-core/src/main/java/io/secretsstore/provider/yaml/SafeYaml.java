// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.yaml;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * The one way this project loads YAML written by users (manifests, SecretProviderClass objects,
 * configuration files): snakeyaml-engine, which never loads a class from a tag, with duplicate and
 * recursive keys refused and aliases and size bounded, so a hostile document can neither execute
 * code nor exhaust memory. Parser messages quote the input, so callers report only line and column.
 * Tenant documents and manifests go through {@link BoundedYaml}, which also bounds nodes and depth
 * while parsing; these settings remain for trusted files read whole (configuration, test
 * manifests).
 */
public final class SafeYaml {
  /** Bounds memory for a mistaken or hostile document. */
  public static final int MAX_CODE_POINTS = YamlLimits.MANIFEST.maxChars();

  /** Enough for any real manifest; an alias bomb needs far more. */
  public static final int MAX_ALIASES = YamlLimits.MANIFEST.maxAliases();

  private SafeYaml() {}

  /**
   * Load settings for one document.
   *
   * @param label names the document in the parser's marks
   * @param schema how plain scalars resolve (core schema, or a backend's own)
   */
  public static LoadSettings settings(String label, Schema schema) {
    return BoundedYaml.settings(label, schema, YamlLimits.MANIFEST);
  }
}
