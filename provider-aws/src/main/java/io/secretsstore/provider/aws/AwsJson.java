// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper for secrets, JMESPath literals and the Pod Identity agent's answer, set so that
 * Jackson 3 accepts and writes what Jackson 2 did. Jackson 3 refuses content after the first value,
 * which Jackson 2 ignored (a secret {@code {"a":"b"} x} still mounts), and halves the nesting
 * depth; the string limit stays at Jackson 2's 20 MB rather than Jackson 3's 100 MB. An AWS secret
 * is at most 64 KiB, so these limits bound the parser, not the secrets that work.
 */
final class AwsJson {
  static final int MAX_NESTING_DEPTH = 1000;
  static final int MAX_STRING_LENGTH = 20_000_000;
  static final int MAX_NAME_LENGTH = 50_000;
  static final int MAX_NUMBER_LENGTH = 1000;

  static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxStringLength(MAX_STRING_LENGTH)
                          .maxNameLength(MAX_NAME_LENGTH)
                          .maxNumberLength(MAX_NUMBER_LENGTH)
                          .build())
                  .streamWriteConstraints(
                      StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                  .build())
          .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private AwsJson() {}
}
