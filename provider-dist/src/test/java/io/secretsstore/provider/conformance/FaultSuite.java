// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.MountLimits;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.Poll;
import io.secretsstore.provider.testing.ProviderFixture;
import io.secretsstore.provider.testing.ServeProcess;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rows 23-31 of the security checklist for one backend: faults injected by its emulator ({@link
 * FaultPlan}) while the real provider serves mounts over its socket. Each asserts the code, that
 * nothing came back, the emulator calls, and (after each test) that no canary leaked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FaultSuite {
  @RegisterExtension final LogCapture logs = new LogCapture();
  private final CaseBook book;
  private ProviderUnderTest provider;
  private final List<ProviderUnderTest> extra = new ArrayList<>();

  FaultSuite(CaseBook book) {
    this.book = book;
  }

  @BeforeAll
  void start() throws Exception {
    provider =
        ProviderUnderTest.seeded(book, ChecklistSuite.NO_BACKGROUND_POLLS, "one", "two", "three");
  }

  @AfterAll
  void stop() throws Exception {
    provider.close();
  }

  @AfterEach
  void nothingLeaked() throws Exception {
    provider.emulator.faults().clear();
    provider.assertNothingLeaked(logs);
    for (ProviderUnderTest other : extra) {
      other.assertNothingLeaked(logs);
      other.close();
    }
    extra.clear();
  }

  private ProviderUnderTest another(EngineSettings settings, boolean trustCa) throws Exception {
    ProviderUnderTest other =
        trustCa
            ? ProviderUnderTest.start(book, settings)
            : ProviderUnderTest.withoutTheEmulatorsCa(book, settings);
    extra.add(other);
    book.put(other.emulator, "one", Canaries.SECRET + "-one");
    return other;
  }

  private ProviderClient.MountCall one(ProviderUnderTest target) {
    return ProviderUnderTest.call(target.attributes(book.objects(book.object("one"))));
  }

  private long reads() {
    return provider.calls(book.readOperation());
  }

  @Test
  void row23_backendDown_isUnavailable() throws Exception {
    book.assumeApplies(23);
    ProviderUnderTest down = another(ChecklistSuite.NO_BACKGROUND_POLLS, true);
    down.emulator.close();
    down.rejected(one(down), "UNAVAILABLE");
  }

  @Test
  void row24_backendSlowerThanTheDeadline_isDeadlineExceeded_andLeavesNoThreads() throws Exception {
    book.assumeApplies(24);
    EngineSettings twoSeconds =
        ChecklistSuite.NO_BACKGROUND_POLLS.withLimits(
            new MountLimits(256, 4L << 20, Duration.ofSeconds(2)));
    ProviderUnderTest slow = another(twoSeconds, true);
    slow.mount(one(slow));
    // The emulator drops a hung connection after its limit: well past the 2 s deadline, or on a
    // loaded
    // machine the drop could come first and the mount fail UNAVAILABLE instead (seen once).
    slow.emulator.faults().inject(book.readOperation(), Fault.hang(Duration.ofSeconds(20)));
    for (int i = 0; i < 3; i++) {
      slow.rejected(
          ProviderUnderTest.call(slow.attributes(book.objects(book.object("two")))),
          "DEADLINE_EXCEEDED");
    }
    slow.emulator.faults().clear();
    // Hung fetches hold threads of the engine's bounded pool only, and the next mount still gets
    // one.
    long fetchThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("fetch-" + book.backend()))
            .count();
    assertThat(fetchThreads).isLessThanOrEqualTo(twoSeconds.fetchConcurrency());
    assertThat(slow.mount(one(slow)).files()).hasSize(1);
  }

  @Test
  void row25_throttledWithRetryAfter_isRetriedBoundedly_thenResourceExhausted() {
    book.assumeApplies(25);
    provider.emulator.faults().inject(book.readOperation(), Fault.throttled(Duration.ofSeconds(1)));
    long before = reads();
    provider.rejected(
        ProviderUnderTest.call(provider.attributes(book.objects(book.object("two")))),
        "RESOURCE_EXHAUSTED");
    assertThat(reads() - before).as("attempts").isBetween(2L, 3L);
  }

  @Test
  void row25_unavailableWithRetryAfter_isRetriedBoundedly() {
    book.assumeApplies(25);
    provider
        .emulator
        .faults()
        .inject(book.readOperation(), Fault.error(503).withHeader("Retry-After", "1"));
    long before = reads();
    provider.rejectedWithAnyOf(
        ProviderUnderTest.call(provider.attributes(book.objects(book.object("two")))),
        "RESOURCE_EXHAUSTED",
        "UNAVAILABLE");
    assertThat(reads() - before).as("attempts").isBetween(2L, 3L);
  }

  @Test
  void connectionResetWithoutAnAnswer_isUnavailableAfterBoundedRetries() {
    provider.emulator.faults().inject(book.readOperation(), Fault.reset());
    long before = reads();
    provider.rejected(
        ProviderUnderTest.call(provider.attributes(book.objects(book.object("two")))),
        "UNAVAILABLE");
    // Three attempts; an HTTP client may resend an idempotent GET once on a closed connection.
    assertThat(reads() - before).as("attempts").isBetween(1L, 6L);
  }

  @Test
  void row26_fiveHundredIdenticalConcurrentMounts_shareOneBackendReadPerObject() throws Exception {
    book.assumeApplies(26);
    for (String name : List.of("sf-a", "sf-b", "sf-c")) {
      book.put(provider.emulator, name, Canaries.SECRET + "-" + name);
    }
    ProviderClient.MountCall call =
        ProviderUnderTest.call(
            provider.attributes(
                book.objects(book.object("sf-a"), book.object("sf-b"), book.object("sf-c"))));
    provider.warmUp();
    long before = reads();
    ExecutorService pool = Executors.newFixedThreadPool(50);
    // The transport's frame logging at trace would dominate 500 mounts; row 36 covers trace.
    LogLevels quiet =
        LogLevels.set(
            ch.qos.logback.classic.Level.INFO,
            "io.grpc",
            "io.netty",
            "software.amazon.awssdk",
            "com.azure",
            "com.microsoft.aad",
            "com.google");
    try {
      List<Future<MountReply>> replies = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        replies.add(pool.submit(() -> provider.mount(call)));
      }
      for (Future<MountReply> reply : replies) {
        assertThat(reply.get().files()).hasSize(3);
      }
    } finally {
      pool.shutdownNow();
      quiet.restore();
    }
    assertThat(reads() - before).as("one read per object").isEqualTo(3);
  }

  @Test
  void row27_backend401And403_arePermissionDenied_withoutAnotherIdentity() {
    book.assumeApplies(27);
    for (int status : List.of(401, 403)) {
      provider.emulator.faults().clear();
      provider.emulator.faults().inject(book.readOperation(), Fault.error(status));
      long before = reads();
      Map<String, Long> fallbacks = fallbackCalls();
      provider.rejected(
          ProviderUnderTest.call(provider.attributes(book.objects(book.object("two")))),
          "PERMISSION_DENIED");
      // Vault logs in again once on a 403, as upstream does; nothing retries beyond that.
      assertThat(reads() - before).as("reads").isBetween(1L, 2L);
      assertThat(fallbackCalls()).as("no fallback identity").isEqualTo(fallbacks);
    }
  }

  private Map<String, Long> fallbackCalls() {
    Map<String, Long> calls = new java.util.TreeMap<>();
    book.fallbackOperations().forEach(op -> calls.put(op, provider.calls(op)));
    return calls;
  }

  @Test
  void row29_oneObjectOfThreeFailing_failsTheWholeMount() {
    book.assumeApplies(29);
    provider
        .emulator
        .faults()
        .inject(book.readOperation(), book.resource("two"), Fault.error(403), FaultPlan.ALWAYS);
    provider.rejected(
        ProviderUnderTest.call(
            provider.attributes(
                book.objects(book.object("one"), book.object("two"), book.object("three")))),
        "PERMISSION_DENIED");
  }

  @Test
  void row30_backendWithAnUnknownCa_isRefused_neverSkipped() throws Exception {
    book.assumeApplies(30);
    ProviderUnderTest untrusting = another(ChecklistSuite.NO_BACKGROUND_POLLS, false);
    untrusting.rejectedWithAnyOf(one(untrusting), "UNAVAILABLE", "INTERNAL");
    assertThat(untrusting.calls()).as("no request got past the handshake").isZero();
  }

  @Test
  void tokenExpiredMidPoll_stopsBackendCalls_andTheNextMountIsUnauthenticated() throws Exception {
    ProviderUnderTest polling = another(ProviderFixture.FAST, true);
    Map<String, String> attributes = polling.attributes(book.objects(book.object("one")));
    Instant expiry = Instant.now().plusSeconds(2);
    attributes.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        ProviderUnderTest.tokens(
            book.audience(),
            book.token(polling.emulator, CaseBook.NAMESPACE, CaseBook.SERVICE_ACCOUNT),
            expiry.toString()));
    polling.mount(ProviderUnderTest.call(attributes));
    // Real time on purpose: the provider under test polls on the system clock, and "no call" can
    // only
    // be shown over real poll intervals (500 ms each: three after the expiry, then three more).
    Thread.sleep(Duration.between(Instant.now(), expiry).plusMillis(1500).toMillis());
    long afterExpiry = polling.calls();
    Thread.sleep(1500);
    assertThat(polling.calls()).as("no backend call with an expired token").isEqualTo(afterExpiry);
    polling.rejected(ProviderUnderTest.call(attributes), "UNAUTHENTICATED");
    assertThat(polling.calls()).isEqualTo(afterExpiry);
  }

  // Rows 31-34: the real serve process, started as a DaemonSet would, against the same emulator.

  private ServeProcess serve(Path dir) throws Exception {
    return ServeProcesses.start(provider, dir);
  }

  private void assertNothingLeakedBy(ServeProcess process) throws Exception {
    LogCapture.assertNoCanaryIn(process.output(), provider.canaries());
  }

  @Test
  void row31_sigkillDuringABackendCall_thenRestart_replacesTheStaleSocket() throws Exception {
    book.assumeApplies(31);
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sv");
    ProviderClient.MountCall call =
        ProviderUnderTest.call(provider.attributes(book.objects(book.object("three"))));
    provider.emulator.faults().inject(book.readOperation(), Fault.hang(Duration.ofSeconds(10)));
    long before = reads();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (ServeProcess first = serve(dir);
        ProviderClient client = ProviderClient.connect(first.socket())) {
      Future<String> inFlight =
          caller.submit(
              () -> {
                try {
                  return "OK with "
                      + client.mount(call, Duration.ofSeconds(30)).files().size()
                      + " files";
                } catch (ProviderCallException e) {
                  return e.code();
                }
              });
      Poll.until(Duration.ofSeconds(30), () -> reads() > before);
      assertThat(reads()).as("the backend call is in flight").isGreaterThan(before);
      first.kill();
      assertThat(inFlight.get(30, TimeUnit.SECONDS))
          .as("the in-flight mount returns nothing")
          .isEqualTo("UNAVAILABLE");
      assertNothingLeakedBy(first);
    } finally {
      caller.shutdownNow();
      provider.emulator.faults().clear();
    }
    assertThat(Files.exists(dir.resolve(book.backend() + ".sock"), LinkOption.NOFOLLOW_LINKS))
        .as("a stale socket is left")
        .isTrue();
    try (ServeProcess second = serve(dir);
        ProviderClient client = ProviderClient.connect(second.socket())) {
      ServeProcesses.awaitVersion(client);
      assertThat(client.mount(call, Duration.ofSeconds(30)).files()).hasSize(1);
      assertNothingLeakedBy(second);
    } finally {
      ServeProcesses.deleteTree(dir);
    }
  }
}
