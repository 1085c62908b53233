// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.yaml;

/**
 * The bounds one YAML document is parsed under: its size is checked before parsing, the others
 * while the parser produces events, so that nothing larger than them is ever built.
 *
 * @param maxChars characters of the whole document, checked before parsing
 * @param maxNodes scalars, sequences, mappings and aliases in the document (a flow list or a map
 *     with 100k keys is refused at the first node past this)
 * @param maxDepth sequences and mappings nested in one another (bounds the recursion of the
 *     composer and constructor, so a deep document cannot overflow the stack)
 * @param maxScalarChars characters of one scalar
 * @param maxAliases aliases to collections (bounds what alias expansion and merge keys can copy)
 */
public record YamlLimits(int maxChars, int maxNodes, int maxDepth, int maxScalarChars, int maxAliases) {
  /**
   * SecretProviderClass parameters ({@code objects}, {@code secrets}): 256 KiB and 20,000 nodes
   * are about 30 times the largest real SecretProviderClass we know of (256 objects of 8 fields,
   * about 4,600 nodes and 24 KiB), and keep eight concurrent worst-case documents within a few MiB
   * of heap (docs/security.md has the arithmetic and the measurement).
   */
  public static final YamlLimits PARAMETER = new YamlLimits(256 * 1024, 20_000, 32, 64 * 1024, 20);

  /**
   * Manifests read by {@code mount} and configuration files: a SecretProviderClass manifest holds
   * its {@code objects} document as one scalar, which the backend then parses under {@link
   * #PARAMETER}.
   */
  public static final YamlLimits MANIFEST = new YamlLimits(1024 * 1024, 100_000, 64, 512 * 1024, 20);

  public YamlLimits {
    if (maxChars < 1 || maxNodes < 1 || maxDepth < 1 || maxScalarChars < 1 || maxAliases < 0) {
      throw new IllegalArgumentException("YAML limits must be positive");
    }
  }
}
