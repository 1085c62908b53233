// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README.md's settings table is the one {@link SettingsTable} writes from {@link Settings}. With
 * {@code -DwriteReadme=true} the test rewrites the table instead of failing.
 */
class SettingsReadmeTest {
  private static final Path README = Path.of("..", "README.md");
  private static final String HOW =
      "README.md's settings table differs from Settings; regenerate it with: ./mvnw -q -pl provider-core test"
          + " -Dtest=SettingsReadmeTest -DwriteReadme=true";

  @Test
  void theReadmeTable_isTheGeneratedOne() throws IOException {
    String readme = Files.readString(README);
    int begin = readme.indexOf(SettingsTable.BEGIN);
    int end = readme.indexOf(SettingsTable.END);
    assertThat(begin).as("README.md has the marker " + SettingsTable.BEGIN).isNotNegative();
    assertThat(end).as("README.md has the marker " + SettingsTable.END).isGreaterThan(begin);
    String expected =
        readme.substring(0, begin)
            + SettingsTable.BEGIN
            + "\n"
            + SettingsTable.markdown(Settings.ALL)
            + readme.substring(end);
    if (Boolean.getBoolean("writeReadme")) {
      Files.writeString(README, expected);
    }
    assertThat(Files.readString(README)).as(HOW).isEqualTo(expected);
  }

  @Test
  void theTable_hasOneRowPerSetting_withItsDefault() {
    String table = SettingsTable.markdown(Settings.ALL);
    assertThat(table.lines()).hasSize(Settings.ALL.size() + 2);
    assertThat(table)
        .contains("| `--cache-max-bytes` | serve, sync | (flag only) | `16777216` | at least 1 |")
        .contains(
            "| `--circuit-failures` | serve, sync | `circuitFailures` | `5` | between 1 and 10000 |")
        .contains("| `--workers` | sync | (flag only) | `4` | at least 1 |");
  }
}
