// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathPatternTest {
  @Test
  void literalPathMatchesOnlyItself() {
    PathPattern root = PathPattern.parse("/");

    assertThat(root.match("/")).isEmpty();
    assertThat(root.match("/x")).isNull();
    assertThat(PathPattern.parse("/v1/sys/health").match("/v1/sys/health/")).isNull();
  }

  @Test
  void variableMatchesOneNonEmptyDecodedSegment() {
    PathPattern pattern = PathPattern.parse("/secrets/{name}");

    assertThat(pattern.match("/secrets/db")).isEqualTo(Map.of("name", "db"));
    assertThat(pattern.match("/secrets/a%2Fb+c")).isEqualTo(Map.of("name", "a/b+c"));
    assertThat(pattern.match("/secrets/")).isNull();
    assertThat(pattern.match("/secrets/a/b")).isNull();
  }

  @Test
  void restVariableTakesWhateverIsLeftIncludingNothing() {
    PathPattern pattern = PathPattern.parse("/v1/{mount}/data/{path*}");

    assertThat(pattern.match("/v1/secret/data/app/db"))
        .isEqualTo(Map.of("mount", "secret", "path", "app/db"));
    assertThat(pattern.match("/v1/secret/data")).isEqualTo(Map.of("mount", "secret", "path", ""));
    assertThat(pattern.match("/v1/secret/other/x")).isNull();
  }

  @Test
  void malformedPatternsAreRefused() {
    assertThatThrownBy(() -> PathPattern.parse("secrets"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.parse("/{rest*}/x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.parse("/{a}/{a}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.parse("/x{a}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
