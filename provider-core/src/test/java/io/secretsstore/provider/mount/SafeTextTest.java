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
    // plain names no longer than the longest field plus two: quoted, so the user sees what to fix
    "filePermision, '\"filePermision\"'",
    "ObjectName, '\"ObjectName\"'",
    "colour, '\"colour\"'",
    "filePermissions1, '\"filePermissions1\"'",
    // longer plain names: by position, as they may be a value pasted onto a key
    "filePermissions12, '#3'",
    "S3CR3T-canary-valueobjectName, '#3'",
    // not a plain name at all
    "'two words', '#3'",
  })
  void unknownKey_isQuotedOnlyWhenItIsAPlainNameAsShortAsAField(String key, String shown) {
    assertThat(SafeText.unknownKey(key, 3, FIELDS)).isEqualTo(shown);
  }
}
