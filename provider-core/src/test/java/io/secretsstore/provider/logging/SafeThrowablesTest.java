// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.testing.Canaries;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class SafeThrowablesTest {
  @Test
  void describe_keepsTypesAndFramesButNoMessages() {
    Exception e =
        new IllegalStateException(
            "bad body " + Canaries.SECRET,
            new UncheckedIOException("token " + Canaries.TOKEN, new java.io.IOException("x")));
    String text = SafeThrowables.describe(e);
    assertThat(text)
        .contains(
            "java.lang.IllegalStateException",
            "caused by java.io.UncheckedIOException",
            "at io.secretsstore");
    assertThat(text).doesNotContain(Canaries.SECRET, Canaries.TOKEN);
  }
}
