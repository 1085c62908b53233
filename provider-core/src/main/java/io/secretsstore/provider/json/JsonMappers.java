// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.json;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Jackson parser factory and mappers for the JSON the provider reads and writes itself. Jackson
 * 3 changed defaults that Jackson 2 had (nesting limit, string limit, content after the value,
 * property order); these keep Jackson 2's, so every input is accepted or refused and every output
 * written as before the move.
 */
public final class JsonMappers {
  /**
   * Jackson 2's limits: 1000 levels of nesting and strings of 20,000,000 characters, where Jackson
   * 3 allows 500 and 100,000,000. Number and name lengths have the same defaults in both.
   */
  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder().maxNestingDepth(1000).maxStringLength(20_000_000).build();

  /**
   * Jackson 2's 1000 levels for writing too (Jackson 3: 500), so that whatever was read can be
   * written back, as a JMESPath {@code to_string(@)} over a secret does.
   */
  private static final StreamWriteConstraints WRITE_LIMITS =
      StreamWriteConstraints.builder().maxNestingDepth(1000).build();

  /**
   * Parsers for input that holds tokens or secrets: a parser's location never carries the source,
   * though our callers replace every parser message anyway.
   */
  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(LIMITS)
          .streamWriteConstraints(WRITE_LIMITS)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  /**
   * Reads trees with {@link #FACTORY}; what follows the first value is ignored, as Jackson 2's
   * {@code readTree} did (Jackson 3 refuses it).
   */
  public static final ObjectMapper READER =
      JsonMapper.builder(FACTORY).disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /**
   * Writes records in declaration order and maps in iteration order (Jackson 3 sorts properties by
   * default), leaving the target stream open.
   */
  public static final ObjectMapper WRITER =
      JsonMapper.builder()
          .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .build();

  private JsonMappers() {}
}
