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
 * @param marks whether nodes keep their source positions (more than double a node's cost), so that
 *     errors found after parsing, such as a duplicate key, can name a line; syntax errors name one
 *     either way
 */
public record YamlLimits(
    int maxChars, int maxNodes, int maxDepth, int maxScalarChars, int maxAliases, boolean marks) {
  /**
   * SecretProviderClass parameters ({@code objects}, {@code secrets}): 128 KiB and 8,192 nodes hold
   * 256 objects (the default {@code --max-objects}) of long ARNs with two jmesPath entries each
   * (about 5,600 nodes and 60 KiB), and keep a worst-case document at about 1.5 MiB of nodes
   * (measured without marks), so eight concurrent ones stay within a 64 MiB heap.
   */
  public static final YamlLimits PARAMETER =
      new YamlLimits(128 * 1024, 8_192, 32, 64 * 1024, 20, false);

  /**
   * Manifests read by {@code mount} and configuration files: a SecretProviderClass manifest holds
   * its {@code objects} document as one scalar, which the backend then parses under {@link
   * #PARAMETER}. They are read by {@code mount} for the person running it, so they keep positions.
   */
  public static final YamlLimits MANIFEST =
      new YamlLimits(1024 * 1024, 100_000, 64, 512 * 1024, 20, true);

  public YamlLimits {
    if (maxChars < 1 || maxNodes < 1 || maxDepth < 1 || maxScalarChars < 1 || maxAliases < 0) {
      throw new IllegalArgumentException("YAML limits must be positive");
    }
  }
}
