// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.grpc.MountReply.ReturnedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer on its own: the layout's edge cases and that no step follows a link out of the target.
 */
class AtomicWriterTest {
  private final AtomicWriter writer =
      new AtomicWriter(Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC));

  @TempDir Path dir;
  private Path target;
  private Path outside;

  @BeforeEach
  void setUp() throws IOException {
    target = Files.createDirectories(dir.resolve("target"));
    outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("precious"), "keep me");
  }

  @Test
  void namesTheDataDirectoryAfterTheUtcTimestamp() throws IOException {
    assertThat(writer.write(target, payload("a", "1"))).isEqualTo(AtomicWriter.Outcome.WRITTEN);

    assertThat(Files.readSymbolicLink(target.resolve("..data")).toString())
        .startsWith("..2026_03_04_05_06_07.");
  }

  @Test
  void replacingTheOldDirectoryNeverFollowsALinkPlantedInIt() throws IOException {
    writer.write(target, payload("a", "1"));
    Path old = target.resolve(Files.readSymbolicLink(target.resolve("..data")));
    Files.createSymbolicLink(old.resolve("escape"), outside);

    writer.write(target, payload("a", "2"));

    assertThat(Files.exists(old)).isFalse();
    assertThat(Files.readString(outside.resolve("precious"))).isEqualTo("keep me");
  }

  @Test
  void oldFileReplacedByALinkCountsAsChangedAndIsNotRead() throws IOException {
    Files.writeString(outside.resolve("same"), "1");
    writer.write(target, payload("a", "1"));
    Path old = target.resolve(Files.readSymbolicLink(target.resolve("..data")));
    Files.delete(old.resolve("a"));
    Files.createSymbolicLink(old.resolve("a"), outside.resolve("same"));

    assertThat(writer.write(target, payload("a", "1"))).isEqualTo(AtomicWriter.Outcome.WRITTEN);
    assertThat(Files.readString(outside.resolve("same"))).isEqualTo("1");
  }

  @Test
  void providerWrittenDirectoryIsRemovedWithoutFollowingLinksInside() throws IOException {
    Path legacy = Files.createDirectories(target.resolve("db"));
    Files.createSymbolicLink(legacy.resolve("link"), outside);

    writer.write(target, payload("db/password", "pw"));

    assertThat(Files.isSymbolicLink(target.resolve("db"))).isTrue();
    assertThat(Files.readString(target.resolve("db/password"))).isEqualTo("pw");
    assertThat(Files.readString(outside.resolve("precious"))).isEqualTo("keep me");
  }

  @Test
  void dataThatIsADirectoryIsRefused() throws IOException {
    Files.createDirectories(target.resolve("..data"));

    assertThatThrownBy(() -> writer.write(target, payload("a", "1")))
        .isInstanceOf(DriverFailure.class)
        .hasMessageContaining("not a symbolic link");
  }

  @Test
  void dataLinkToAParentDirectoryIsRefused() throws IOException {
    Files.createSymbolicLink(target.resolve("..data"), Path.of("../outside"));

    assertThatThrownBy(() -> writer.write(target, payload("precious", "overwritten")))
        .isInstanceOf(DriverFailure.class)
        .hasMessageContaining("refusing to follow it");
    assertThat(Files.readString(outside.resolve("precious"))).isEqualTo("keep me");
  }

  @Test
  void staleTemporaryLinkFromAnInterruptedWriteIsReplaced() throws IOException {
    Files.createSymbolicLink(target.resolve("..data_tmp"), Path.of("..gone"));

    writer.write(target, payload("a", "1"));

    assertThat(Files.exists(target.resolve("..data_tmp"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(target.resolve("a"))).isEqualTo("1");
  }

  @Test
  void emulatorsOwnDotDotEntriesAreNeverTouched() throws IOException {
    Files.writeString(target.resolve(MountedVersions.FILE_NAME), "{\"secret/a\":\"v1\"}");

    writer.write(target, payload("a", "1"));
    writer.write(target, payload("b", "2"));

    assertThat(Files.readString(target.resolve(MountedVersions.FILE_NAME)))
        .isEqualTo("{\"secret/a\":\"v1\"}");
    assertThat(Files.exists(target.resolve("a"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  private static SortedMap<String, ReturnedFile> payload(String path, String contents) {
    SortedMap<String, ReturnedFile> payload = new TreeMap<>();
    payload.put(path, new ReturnedFile(path, 0644, contents.getBytes(StandardCharsets.UTF_8)));
    return payload;
  }
}
