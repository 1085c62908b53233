// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParsedParametersTest {
  private final AtomicInteger parses = new AtomicInteger();

  private List<String> parse(String text) {
    parses.incrementAndGet();
    if (text.startsWith("bad")) {
      throw new IllegalArgumentException("objects: not a list");
    }
    return List.of(text.split(","));
  }

  @Test
  void aTextIsParsedOnceAndEveryCallerGetsTheSameResult() {
    ParsedParameters<List<String>> memo = new ParsedParameters<>(this::parse);

    List<String> first = memo.parse("a,b");

    assertThat(memo.parse("a,b")).isSameAs(first).containsExactly("a", "b");
    assertThat(memo.parse("c")).containsExactly("c");
    assertThat(parses).hasValue(2);
  }

  @Test
  void aRefusedTextIsRefusedEveryTimeAndNotRemembered() {
    ParsedParameters<List<String>> memo = new ParsedParameters<>(this::parse);

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> memo.parse("bad")).hasMessage("objects: not a list");
    }

    assertThat(parses).hasValue(3);
    assertThat(memo.size()).isZero();
  }

  @Test
  void theMemoryIsBoundedByCharactersNotByTexts() {
    ParsedParameters<List<String>> memo = new ParsedParameters<>(this::parse, 100);

    for (int i = 0; i < 50; i++) {
      memo.parse("x".repeat(30) + i);
    }

    // 32 characters each: at most three fit in 100, whatever the count of texts sent.
    assertThat(memo.size()).isBetween(1L, 3L);
  }
}
