// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileModeTest {

  @ParameterizedTest
  @ValueSource(strings = {"4755", "0778", "99999", "-1", "rw-r--r--", "", "0x1ff", "00644"})
  void parseOctal_rejectsSpecialBitsBadDigitsAndText(String text) {
    assertThatThrownBy(() -> FileMode.parseOctal(text, "filePermission"))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
        .hasMessageContaining("filePermission");
  }

  @Test
  void parseOctal_0600_is384() {
    assertThat(FileMode.parseOctal("0600", "filePermission").bits()).isEqualTo(384);
    assertThat(FileMode.parseOctal("644", "filePermission").bits()).isEqualTo(420);
    assertThat(FileMode.parseOctal("0", "filePermission").bits()).isZero();
  }

  @Test
  void parseDecimal_readsThePermissionField() {
    assertThat(FileMode.parseDecimal("420", "permission").octal()).isEqualTo("0644");
    assertThat(FileMode.parseDecimal("511", "permission").bits()).isEqualTo(0777);
    assertThatThrownBy(() -> FileMode.parseDecimal("512", "permission"))
        .isInstanceOf(ProviderException.class);
  }
}
