// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How user-supplied names appear in refusals: quoted only when that helps and cannot leak. */
class SafeTextTest {
  private static final List<String> FIELDS =
      List.of("objectName", "objectType", "filePermission", "path");

  @ParameterizedTest
  @CsvSource({
    // typos of a field, in case or up to two edits: quoted, so the user sees what to fix
    "filePermision, '\"filePermision\"'",
    "ObjectName, '\"ObjectName\"'",
    "objectNmae, '\"objectNmae\"'",
    "paths, '\"paths\"'",
    // plain names far from every field: by position, as they may be a value pasted onto a key
    "colour, '#3'",
    "S3CR3T-canary-valueobjectName, '#3'",
    "objectNameXYZ, '#3'",
    // not a plain name at all
    "'two words', '#3'",
  })
  void unknownKey_isQuotedOnlyWhenItIsANearMissOfAField(String key, String shown) {
    assertThat(SafeText.unknownKey(key, 3, FIELDS)).isEqualTo(shown);
  }
}
