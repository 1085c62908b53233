// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.yaml;

/**
 * A YAML document refused by {@link BoundedYaml}: not valid YAML, or past one of its {@link
 * YamlLimits}. The message is a fixed description with at most a line and column, never a fragment
 * of the document, so callers can show it after the name of the parameter or file.
 */
public final class YamlRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  YamlRefusal(String message) {
    super(message, null, false, false);
  }
}
