// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.mount.ObjectVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which version records the driver emulator reads back. */
class MountedVersionsTest {
  @TempDir Path target;

  private Optional<List<ObjectVersion>> read(String content) throws IOException {
    Files.writeString(target.resolve(MountedVersions.FILE_NAME), content);
    return MountedVersions.read(target);
  }

  @Test
  void aWrittenRecord_isReadBack_inKeyOrder() throws IOException {
    TreeMap<String, String> versions = new TreeMap<>();
    versions.put("b", "2");
    versions.put("a<", "1");
    MountedVersions.write(target, versions);

    assertThat(Files.readString(target.resolve(MountedVersions.FILE_NAME)))
        .isEqualTo("{\"a\\u003c\":\"1\",\"b\":\"2\"}");
    assertThat(MountedVersions.read(target))
        .contains(List.of(new ObjectVersion("a<", "1"), new ObjectVersion("b", "2")));
  }

  @Test
  void contentAfterTheObject_isIgnoredAsBefore_andALaterDuplicateWins() throws IOException {
    assertThat(read("{\"a\":\"1\"} trailing")).contains(List.of(new ObjectVersion("a", "1")));
    assertThat(read("{\"a\":\"1\",\"a\":\"2\"}")).contains(List.of(new ObjectVersion("a", "2")));
    assertThat(read("{}")).contains(List.of());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "null", "[]", "\"a\"", "{\"a\":1}", "{\"a\":null}", "{\"a\":", "{'a':'1'}"})
  void anythingElse_isNoRecord(String content) throws IOException {
    assertThat(read(content)).isEmpty();
  }

  @Test
  void noFile_isNoRecord() {
    assertThat(MountedVersions.read(target)).isEmpty();
  }
}
