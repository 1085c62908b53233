// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPath;
import io.burt.jmespath.JmesPathException;
import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Upstream's {@code jmesPath} extraction: the secret must be JSON and each expression must yield a
 * string, written as the extra file's contents. Messages name the entry, never the secret.
 */
final class JmesExtractor {
  private static final JmesPath<JsonNode> JMESPATH = new JsonNodeRuntime();

  /**
   * Units of work (elements, characters, comparisons) one expression may spend: about 2 MiB of
   * transient allocation at most, while an expression over the largest AWS secret (64 KiB) that
   * visits every value a few times needs well under a tenth of it.
   */
  static final long WORK_BUDGET = 1 << 20;

  private JmesExtractor() {}

  /** A compiled expression; an IllegalArgumentException when it does not parse. */
  static Expression<JsonNode> compile(String path) {
    try {
      return JMESPATH.compile(path);
    } catch (JmesPathException e) {
      throw new IllegalArgumentException("invalid JMESPath expression", e);
    }
  }

  /** The secret parsed as JSON. */
  static JsonNode parse(byte[] secret, String where) {
    try {
      return JsonMappers.READER.readTree(secret);
    } catch (JacksonException e) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          where + ": the secret is not valid JSON, so jmesPath cannot be applied");
    }
  }

  /**
   * The string at the path, as UTF-8 bytes; the evaluation stops as soon as it spends {@link
   * #WORK_BUDGET}.
   */
  static byte[] extract(JsonNode document, String path, String where) {
    JsonNode result;
    try {
      result = new BudgetedJmesRuntime(WORK_BUDGET).compile(path).search(document);
    } catch (RuntimeException e) {
      // Serialisation (to_string) and some functions wrap what the runtime throws.
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof BudgetedJmesRuntime.BudgetExceeded) {
          throw ProviderException.of(
              ErrorKind.RESOURCE_EXHAUSTED,
              where
                  + ": the jmesPath expression needs more than "
                  + WORK_BUDGET
                  + " units of work (elements and characters) to evaluate");
        }
      }
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION, where + ": JMESPath evaluation failed");
    }
    if (result == null || result.isNull() || result.isMissingNode()) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION, where + ": JSON path does not point to a valid object");
    }
    if (!result.isString()) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          where + ": Invalid JMES search result type: Only string is allowed");
    }
    return result.stringValue().getBytes(StandardCharsets.UTF_8);
  }
}
