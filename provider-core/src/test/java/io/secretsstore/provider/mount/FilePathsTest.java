// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilePathsTest {

  static List<String> rejectedByProvider() {
    return List.of(
        "../x",
        "..",
        ".",
        "/abs",
        "a/../b",
        "..data",
        "..sneaky.txt",
        "x/",
        "a//b",
        "",
        "./a",
        "a/.",
        "a\0b",
        "a\\b",
        "tab\there",
        "x".repeat(256),
        "a/" + "b".repeat(256),
        "a/".repeat(2049) + "a");
  }

  @ParameterizedTest
  @MethodSource("rejectedByProvider")
  void providerViolation_rejectsTraversalUncleanAndOddCharacters(String path) {
    assertThat(FilePaths.providerViolation(path)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "dir/file", "a.b", "x..y", "dir/.hidden", "café", "a-b_c.d"})
  void providerViolation_acceptsPlainPaths(String path) {
    assertThat(FilePaths.providerViolation(path)).isEmpty();
  }

  @Test
  void driverViolation_letsThroughWhatOnlyTheProviderRefuses() {
    // The driver accepts these; returning them is still refused by the provider.
    assertThat(FilePaths.driverViolation(".")).isEmpty();
    assertThat(FilePaths.driverViolation("a\\b")).isEmpty();
    assertThat(FilePaths.driverViolation("..data")).isPresent();
  }

  @Test
  void violations_neverQuoteThePath() {
    for (String path : rejectedByProvider()) {
      if (!path.isEmpty() && !path.equals(".") && !path.equals("..")) {
        assertThat(FilePaths.providerViolation(path).orElseThrow()).doesNotContain(path);
      }
    }
  }

  @Test
  void firstClash_findsDuplicatesAndFileDirectoryClashes() {
    assertThat(FilePaths.firstClash(List.of("a", "b", "a")))
        .hasValueSatisfying(c -> assertThat(c.path()).isEqualTo("a"));
    assertThat(FilePaths.firstClash(List.of("a/b", "a")))
        .hasValueSatisfying(c -> assertThat(c.path()).isEqualTo("a"));
    assertThat(FilePaths.firstClash(List.of("a", "a.b", "a-b/c", "ab/c"))).isEmpty();
  }
}
