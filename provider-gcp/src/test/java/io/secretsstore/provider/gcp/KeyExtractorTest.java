// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code extractYAMLKey} over the tenant's own secret content, read under the parameters' bounds.
 */
class KeyExtractorTest {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aTopLevelStringKeyIsExtracted() {
    assertThat(
            new String(
                KeyExtractor.yaml(bytes("user: admin\npass: s3cret\n"), "pass"),
                StandardCharsets.UTF_8))
        .isEqualTo("s3cret");
  }

  @Test
  void aDeeplyNestedSecretIsRefusedAsInvalidYaml_notAStackOverflow() {
    // 60,000 levels fit Secret Manager's 64 KiB; unbounded, the composer's recursion overflows the
    // stack.
    String deep = "k: " + "[".repeat(60_000);
    assertThatThrownBy(() -> KeyExtractor.yaml(bytes(deep), "k"))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessage("failed to unmarshal YAML. Invalid YAML format for key extraction");
  }

  @Test
  void aMissingKeyIsNamed_andTheContentIsNeverEchoed() {
    assertThatThrownBy(() -> KeyExtractor.yaml(bytes("user: canary-value-1234\n"), "pass"))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("'pass'")
        .hasMessageNotContaining("canary-value-1234");
  }
}
