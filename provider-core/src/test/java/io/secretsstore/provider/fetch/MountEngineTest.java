// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.testing.Attributes;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.TestBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MountEngineTest {
  private final TestBackend backend = new TestBackend();
  private MountEngine engine = new MountEngine(backend, EngineSettings.DEFAULT, FetchEvents.NONE);

  @AfterEach
  void close() {
    engine.close();
  }

  private static MountRequestContext request(String objectsJson) {
    return MountRequestContext.parse(
        Attributes.forPod().with("objects", objectsJson).json(), "null", "/t", "420", List.of());
  }

  private static Consumer<Throwable> kind(ErrorKind kind) {
    return e -> assertThat(((ProviderException) e).kind()).isEqualTo(kind);
  }

  @Test
  void mount_returnsEveryFileAndOneVersionPerObject() {
    MountResult result =
        engine.mount(
            request(
                "[{\"name\":\"a\",\"content\":\"A\",\"version\":\"3\"},{\"name\":\"b\",\"path\":\"dir/b\",\"mode\":\"0600\",\"content\":\"B\"}]"),
            null);
    assertThat(result.files()).extracting(FetchedFile::path).containsExactly("a", "dir/b");
    assertThat(result.files().get(0).mode().bits()).isEqualTo(0644);
    assertThat(result.files().get(1).mode().bits()).isEqualTo(0600);
    assertThat(new String(result.files().get(1).contents(), StandardCharsets.UTF_8)).isEqualTo("B");
    assertThat(result.versions())
        .containsExactly(new ObjectVersion("a", "3"), new ObjectVersion("b", "1"));
  }

  @Test
  void mount_fetchesObjectsInParallel() {
    // Each fetch waits until all three are in flight: a sequential engine would time out here.
    java.util.concurrent.CountDownLatch allInFlight = new java.util.concurrent.CountDownLatch(3);
    engine.close();
    engine =
        new MountEngine(new LatchBackend(allInFlight), EngineSettings.DEFAULT, FetchEvents.NONE);
    MountResult result =
        engine.mount(request("[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]"), null);
    assertThat(result.files()).hasSize(3);
  }

  @Test
  void mount_oneObjectFails_failsWholeMountNamingIt() {
    assertThatThrownBy(
            () ->
                engine.mount(
                    request(
                        "[{\"name\":\"a\",\"content\":\""
                            + Canaries.SECRET
                            + "\"},{\"name\":\"b\",\"fail\":\"NOT_FOUND\"},{\"name\":\"c\"}]"),
                    null))
        .satisfies(kind(ErrorKind.NOT_FOUND))
        .hasMessageContaining("objects[1] (\"b\")")
        .message()
        .doesNotContain(Canaries.SECRET);
  }

  @Test
  void mount_severalFailures_areAggregated_andATransientOneDoesNotMakeItRetryable() {
    assertThatThrownBy(
            () ->
                engine.mount(
                    request(
                        "[{\"name\":\"a\",\"fail\":\"UNAVAILABLE\"},{\"name\":\"b\",\"fail\":\"PERMISSION_DENIED\"}]"),
                    null))
        .satisfies(kind(ErrorKind.PERMISSION_DENIED))
        .hasMessageContaining("2 of 2 objects")
        .hasMessageContaining("\"a\"")
        .hasMessageContaining("\"b\"");
  }

  @Test
  void mount_slowerThanTheDeadline_isDeadlineExceededAndInterruptsTheFetch() {
    engine.close();
    engine =
        new MountEngine(
            backend,
            EngineSettings.DEFAULT.withLimits(new MountLimits(10, 1 << 20, Duration.ofMillis(200))),
            FetchEvents.NONE);
    long start = System.nanoTime();
    assertThatThrownBy(() -> engine.mount(request("[{\"name\":\"slow\",\"delayMs\":30000}]"), null))
        .satisfies(kind(ErrorKind.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void mount_callerBudgetShorterThanTheLimit_wins() {
    assertThatThrownBy(
            () ->
                engine.mount(
                    request("[{\"name\":\"slow\",\"delayMs\":30000}]"), Duration.ofMillis(100)))
        .satisfies(kind(ErrorKind.DEADLINE_EXCEEDED));
  }

  @Test
  void mount_noObjects_isInvalidArgument() {
    assertThatThrownBy(() -> engine.mount(request("[]"), null))
        .satisfies(kind(ErrorKind.INVALID_ARGUMENT));
  }

  @Test
  void mount_moreObjectsThanTheCap_isInvalidArgumentBeforeAnyFetch() {
    StringBuilder objects = new StringBuilder("[");
    for (int i = 0; i < 10_000; i++) {
      objects.append(i == 0 ? "" : ",").append("{\"name\":\"o").append(i).append("\"}");
    }
    int before = backend.fetches();
    assertThatThrownBy(() -> engine.mount(request(objects + "]"), null))
        .satisfies(kind(ErrorKind.INVALID_ARGUMENT))
        .hasMessageContaining("at most 256");
    assertThat(backend.fetches()).isEqualTo(before);
  }

  @Test
  void mount_objectLargerThanTheResponseLimit_isResourceExhaustedNamingObjectAndSize() {
    assertThatThrownBy(
            () -> engine.mount(request("[{\"name\":\"big\",\"sizeBytes\":5242880}]"), null))
        .satisfies(kind(ErrorKind.RESOURCE_EXHAUSTED))
        .hasMessageContaining("\"big\"")
        .hasMessageContaining("5242880");
  }

  @Test
  void mount_filesAddingUpPastTheLimit_isResourceExhausted() {
    assertThatThrownBy(
            () ->
                engine.mount(
                    request(
                        "[{\"name\":\"a\",\"sizeBytes\":3000000},{\"name\":\"b\",\"sizeBytes\":3000000}]"),
                    null))
        .satisfies(kind(ErrorKind.RESOURCE_EXHAUSTED))
        .hasMessageContaining("add up to");
  }

  @Test
  void mount_clashingPaths_areRejectedBeforeAnyFetch() {
    int before = backend.fetches();
    assertThatThrownBy(
            () ->
                engine.mount(request("[{\"name\":\"a\"},{\"name\":\"b\",\"path\":\"a/b\"}]"), null))
        .satisfies(kind(ErrorKind.INVALID_ARGUMENT))
        .hasMessageContaining("objects[0] (\"a\")");
    assertThatThrownBy(() -> engine.mount(request("[{\"name\":\"a\"},{\"name\":\"a\"}]"), null))
        .satisfies(kind(ErrorKind.INVALID_ARGUMENT));
    assertThat(backend.fetches()).isEqualTo(before);
  }

  @Test
  void mount_unsafePath_isRejectedNamingTheObjectNotThePath() {
    assertThatThrownBy(
            () -> engine.mount(request("[{\"name\":\"a\",\"path\":\"../../etc/cron.d/x\"}]"), null))
        .satisfies(kind(ErrorKind.INVALID_ARGUMENT))
        .hasMessageContaining("objects[0] (\"a\")")
        .message()
        .doesNotContain("cron");
  }

  @Test
  void mount_backendBug_isInternalWithAFixedText() {
    engine.close();
    engine = new MountEngine(new BuggyBackend(), EngineSettings.DEFAULT, FetchEvents.NONE);
    assertThatThrownBy(() -> engine.mount(request("[{\"name\":\"a\"}]"), null))
        .satisfies(kind(ErrorKind.INTERNAL))
        .message()
        .doesNotContain(Canaries.SECRET);
  }

  /** A backend whose fetches each wait for all of a mount's fetches to be in flight. */
  private static final class LatchBackend implements io.secretsstore.provider.spi.SecretBackend {
    private final java.util.concurrent.CountDownLatch latch;

    LatchBackend(java.util.concurrent.CountDownLatch latch) {
      this.latch = latch;
    }

    @Override
    public String name() {
      return "latch";
    }

    @Override
    public io.secretsstore.provider.spi.MountPlan<?> plan(MountRequestContext request) {
      List<io.secretsstore.provider.spi.PlannedObject<String>> objects =
          List.of("a", "b", "c").stream()
              .map(
                  id ->
                      new io.secretsstore.provider.spi.PlannedObject<>(
                          id, id, request.defaultMode(), id))
              .toList();
      return new io.secretsstore.provider.spi.MountPlan<>(
          io.secretsstore.provider.credentials.IdentityKey.of("latch"),
          "latch",
          objects,
          object -> {
            latch.countDown();
            if (!latch.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
              throw ProviderException.of(ErrorKind.INTERNAL, "fetches did not run in parallel");
            }
            return io.secretsstore.provider.spi.FetchedObject.single(object, new byte[] {1}, "1");
          });
    }
  }

  /** A backend whose fetch throws a library-style exception quoting a secret. */
  private static final class BuggyBackend implements io.secretsstore.provider.spi.SecretBackend {
    @Override
    public String name() {
      return "buggy";
    }

    @Override
    public io.secretsstore.provider.spi.MountPlan<?> plan(MountRequestContext request) {
      return new io.secretsstore.provider.spi.MountPlan<String>(
          io.secretsstore.provider.credentials.IdentityKey.of("buggy"),
          "buggy-endpoint",
          List.of(
              new io.secretsstore.provider.spi.PlannedObject<>(
                  "a", "a", request.defaultMode(), "spec")),
          object -> {
            throw new IllegalStateException("unexpected token in " + Canaries.SECRET);
          });
    }
  }
}
