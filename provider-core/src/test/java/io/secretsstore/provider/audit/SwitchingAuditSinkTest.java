// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

class SwitchingAuditSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private Path dir;

  @BeforeEach
  void dir() throws IOException {
    dir = Files.createTempDirectory("audit-switch");
  }

  @AfterEach
  void delete() throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static AuditEvent event(String objectId) {
    return new AuditEvent(
        "2026-11-28T00:00:00Z",
        java.util.UUID.randomUUID().toString(),
        "event",
        "access",
        "mount",
        "node",
        "team-a",
        "pod",
        "uid-1",
        "app",
        "spc",
        "test",
        objectId,
        "1",
        "cache",
        "",
        "OK",
        1,
        "");
  }

  /** Every objectId written to the audit files of the directory, with how often it appears. */
  private Map<String, Long> written() throws IOException {
    List<String> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        for (String line : Files.readAllLines(file)) {
          ids.add(JSON.readTree(line).path("objectId").asString());
        }
      }
    }
    return ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void switchingWhileMountsWrite_losesNoEvent_andWritesNoneTwice() throws Exception {
    SwitchingAuditSink sink = SwitchingAuditSink.open(dir.resolve("audit-0.jsonl").toString());
    int writers = 4;
    int perWriter = 2000;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      running.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perWriter; i++) {
                  sink.record(event(writer + "-" + i));
                }
                return null;
              }));
    }
    go.countDown();
    int switches = 0;
    while (running.stream().anyMatch(f -> !f.isDone())) {
      sink.switchTo(dir.resolve("audit-" + (++switches % 3) + ".jsonl").toString());
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    sink.close();

    Map<String, Long> written = written();
    assertThat(switches).as("the destination changed while events were written").isGreaterThan(1);
    assertThat(written).hasSize(writers * perWriter);
    assertThat(written.values()).as("each event in exactly one file, once").containsOnly(1L);
  }

  @Test
  void destinationThatCannotBeOpened_isRefusedNamingTheKey_andTheOldOneStays() throws Exception {
    Path first = dir.resolve("audit.jsonl");
    SwitchingAuditSink sink = SwitchingAuditSink.open(first.toString());
    sink.record(event("before"));
    assertThatThrownBy(() -> sink.switchTo(dir.resolve("missing/dir/audit.jsonl").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auditLog cannot be opened")
        .hasMessageNotContaining("missing/dir");
    sink.record(event("after"));
    sink.close();
    assertThat(Files.readAllLines(first)).hasSize(2);
  }

  @Test
  void emptyDestination_turnsAuditOff_andBackOn() throws Exception {
    List<String> opened = new ArrayList<>();
    List<AuditEvent> recorded = new ArrayList<>();
    SwitchingAuditSink sink =
        new SwitchingAuditSink(
            destination -> {
              if (destination.contains("unwritable")) {
                throw new UncheckedIOException(new IOException("denied"));
              }
              opened.add(destination);
              return recorded::add;
            },
            "");
    assertThat(sink.enabled()).isFalse();
    sink.record(event("dropped"));
    sink.switchTo("/audit/a.jsonl");
    sink.switchTo("/audit/a.jsonl");
    assertThat(opened)
        .as("an unchanged destination is not reopened")
        .containsExactly("/audit/a.jsonl");
    sink.record(event("kept"));
    sink.switchTo("");
    sink.record(event("dropped too"));
    assertThat(recorded).extracting(AuditEvent::objectId).containsExactly("kept");
    assertThat(sink.enabled()).isFalse();
  }
}
