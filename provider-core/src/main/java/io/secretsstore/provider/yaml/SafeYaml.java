// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.yaml;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * The one way this project loads YAML written by users (manifests, SecretProviderClass objects,
 * configuration files): snakeyaml-engine, which never loads a class from a tag, with duplicate and
 * recursive keys refused and aliases and size bounded, so a hostile document can neither execute
 * code nor exhaust memory. Parser messages quote the input, so callers report only line and column.
 */
public final class SafeYaml {
  /** Bounds memory for a mistaken or hostile document. */
  public static final int MAX_CODE_POINTS = 1024 * 1024;
  /** Enough for any real manifest; an alias bomb needs far more. */
  public static final int MAX_ALIASES = 20;

  private SafeYaml() {}

  /**
   * Load settings for one document.
   *
   * @param label names the document in the parser's marks
   * @param schema how plain scalars resolve (core schema, or a backend's own)
   */
  public static LoadSettings settings(String label, Schema schema) {
    return LoadSettings.builder()
        .setLabel(label)
        .setSchema(schema)
        .setAllowDuplicateKeys(false)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setCodePointLimit(MAX_CODE_POINTS)
        .build();
  }
}
