// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.mount.FilePaths;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rows 1-22 and 35-37 of the security checklist (security.md section 4) for one backend, through
 * the real socket, the real server and the real SDK against the backend's emulator. Every refused
 * request is checked for its gRPC code, that no file came back, the emulator calls it cost, and
 * that no canary (pod token, nodePublishSecretRef value, secret value) is in the status message;
 * after every test the logs (at TRACE), audit events and metric labels are scanned too. A backend
 * joins with a {@link CaseBook} and a subclass that names it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChecklistSuite {
  /**
   * The fast engine, but with background refreshes pushed out of the suite's time, so that every
   * emulator call counted is one the request under test made.
   */
  static final EngineSettings NO_BACKGROUND_POLLS =
      new EngineSettings(
          ProviderFixture.FAST.limits(),
          new CacheSettings(
              Duration.ofHours(1),
              Duration.ZERO,
              Duration.ofHours(2),
              Duration.ofHours(2),
              64L << 20,
              10_000),
          ProviderFixture.FAST.resilience(),
          ProviderFixture.FAST.fetchConcurrency());

  @RegisterExtension final LogCapture logs = new LogCapture();
  private final CaseBook book;
  private ProviderUnderTest provider;

  ChecklistSuite(CaseBook book) {
    this.book = book;
  }

  @BeforeAll
  void start() throws Exception {
    provider = ProviderUnderTest.seeded(book, NO_BACKGROUND_POLLS, "one", "two", "three");
  }

  @AfterAll
  void stop() throws Exception {
    provider.close();
  }

  @AfterEach
  void nothingLeaked() {
    provider.assertNothingLeaked(logs);
  }

  private String valid() {
    return book.objects(book.object("one"));
  }

  private Map<String, String> with(String key, String value) {
    Map<String, String> attributes = new LinkedHashMap<>(provider.attributes(valid()));
    attributes.put(key, value);
    return attributes;
  }

  /** Refused with {@code code} before any call to the backend. */
  private String refusedUpFront(ProviderClient.MountCall call, String code) {
    long before = provider.calls();
    String message = provider.rejected(call, code);
    assertThat(provider.calls()).as("emulator calls").isEqualTo(before);
    return message;
  }

  private String refusedUpFront(String objects) {
    return refusedUpFront(ProviderUnderTest.call(provider.attributes(objects)), "INVALID_ARGUMENT");
  }

  @Test
  void row01_attributesNotAStringMap() {
    book.assumeApplies(1);
    for (String attributes :
        List.of(
            "not json " + Canaries.TOKEN,
            "[\"" + Canaries.SECRET + "\"]",
            Canaries.TOKEN,
            "{\"objects\":{\"token\":\"" + Canaries.TOKEN + "\"}}")) {
      refusedUpFront(ProviderUnderTest.call(attributes, "420"), "INVALID_ARGUMENT");
    }
  }

  @Test
  void row02_badPermission() {
    book.assumeApplies(2);
    for (String permission : List.of("abc", "-1", "512", "0o644")) {
      refusedUpFront(
          ProviderUnderTest.call(ProviderUnderTest.json(provider.attributes(valid())), permission),
          "INVALID_ARGUMENT");
    }
  }

  @Test
  void row03_objectsInvalidNotAListOrEmpty() {
    book.assumeApplies(3);
    for (String objects :
        List.of("not valid yaml [", "{objectName: " + Canaries.SECRET + "}", "", "[]")) {
      refusedUpFront(objects);
    }
  }

  @Test
  void row04_yamlTagThatWouldLoadAClass() {
    book.assumeApplies(4);
    String message =
        refusedUpFront(
            "- !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:9/\"]]]]");
    assertThat(message).doesNotContain("127.0.0.1");
  }

  @Test
  void row05_aliasBombAndDuplicateKey() {
    book.assumeApplies(5);
    StringBuilder bomb =
        new StringBuilder(
            "- &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      String previous = "*" + (char) (c - 1);
      bomb.append("- &")
          .append(c)
          .append(" [")
          .append(String.join(",", java.util.Collections.nCopies(9, previous)))
          .append("]\n");
    }
    long start = System.nanoTime();
    refusedUpFront(bomb.toString());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    // The entry's first field again (after "- " or, for entries that are YAML strings, on the next
    // line).
    String one = book.object("one");
    String firstField =
        one.lines()
            .map(l -> l.replaceFirst("^-?\\s*", ""))
            .filter(l -> l.contains(": "))
            .findFirst()
            .orElseThrow();
    refusedUpFront(book.objects(one + "\n  " + firstField));
  }

  @Test
  void row06_unknownKeyInAnObject_isNamed() {
    book.assumeApplies(6);
    assertThat(
            refusedUpFront(
                book.objects(book.object("one") + "\n  filePermision: " + book.mode("0600"))))
        .contains("filePermision");
  }

  @Test
  void row07_unknownTopLevelAttributes_areAccepted() {
    book.assumeApplies(7);
    MountReply reply = provider.mount(ProviderUnderTest.call(with("foo", "bar")));
    assertThat(reply.files()).hasSize(1);
  }

  @Test
  void row08_badFileNames() {
    book.assumeApplies(8);
    List<String> names =
        List.of(
            "../x",
            "..",
            ".",
            "/abs",
            "a/../b",
            "..data",
            "x/",
            "a//b",
            "",
            "a\u0000b",
            "a\\b",
            "x".repeat(256),
            "a/".repeat(2100) + "a");
    for (String name : names) {
      String objects = book.objects(book.object("one", CaseBook.quoted(name), null));
      Optional<String> mountedAs = book.mountsFileNameAs(name);
      if (mountedAs.isPresent()) {
        assertThat(provider.mount(objects).files())
            .extracting(MountReply.ReturnedFile::path)
            .containsExactly(mountedAs.get());
        continue;
      }
      try {
        refusedUpFront(objects);
      } catch (AssertionError e) {
        throw new AssertionError(
            "file name "
                + CaseBook.quoted(name.length() > 40 ? name.substring(0, 40) + "..." : name),
            e);
      }
    }
  }

  @Test
  void row09_duplicateFileNamesAndFileDirectoryClash() {
    book.assumeApplies(9);
    refusedUpFront(book.objects(book.object("one", "p", null), book.object("two", "p", null)));
    refusedUpFront(book.objects(book.object("one"), book.object("one")));
    refusedUpFront(book.objects(book.object("one", "a", null), book.object("two", "a/b", null)));
  }

  @Test
  void row10_badModes_andMode0600Is384() {
    book.assumeApplies(10);
    for (String mode : List.of("4755", "0778", "99999", "-1", "rw-r--r--")) {
      refusedUpFront(book.objects(book.object("one", null, book.mode(mode))));
    }
    assertThat(
            provider
                .mount(book.objects(book.object("one", null, book.mode("0600"))))
                .files()
                .get(0)
                .mode())
        .isEqualTo(384);
  }

  @Test
  void row11_missingPodAttributes() {
    book.assumeApplies(11);
    for (String key :
        List.of(
            "csi.storage.k8s.io/pod.name",
            "csi.storage.k8s.io/pod.namespace",
            "csi.storage.k8s.io/pod.uid",
            "csi.storage.k8s.io/serviceAccount.name")) {
      Map<String, String> attributes = provider.attributes(valid());
      attributes.remove(key);
      refusedUpFront(ProviderUnderTest.call(attributes), "INVALID_ARGUMENT");
    }
  }

  @Test
  void row12_tokensAbsent_noFallbackCredential() {
    book.assumeApplies(12);
    Map<String, String> attributes = provider.attributes(valid());
    attributes.remove("csi.storage.k8s.io/serviceAccount.tokens");
    refusedUpFront(ProviderUnderTest.call(attributes), "UNAUTHENTICATED");
  }

  @Test
  void row13_tokenOnlyForAForeignAudience_orEmpty() {
    book.assumeApplies(13);
    String foreign =
        refusedUpFront(
            ProviderUnderTest.call(
                with(
                    "csi.storage.k8s.io/serviceAccount.tokens",
                    ProviderUnderTest.tokens(
                        "other-audience", Canaries.TOKEN, "2099-01-01T00:00:00Z"))),
            "UNAUTHENTICATED");
    assertThat(foreign).contains(book.audience());
    refusedUpFront(
        ProviderUnderTest.call(
            with(
                "csi.storage.k8s.io/serviceAccount.tokens",
                ProviderUnderTest.tokens(book.audience(), "", "2099-01-01T00:00:00Z"))),
        "UNAUTHENTICATED");
  }

  @Test
  void row14_expiredOrUnparseableExpiry() {
    book.assumeApplies(14);
    for (String expiry : List.of("2020-01-01T00:00:00Z", "tomorrow")) {
      refusedUpFront(
          ProviderUnderTest.call(
              with(
                  "csi.storage.k8s.io/serviceAccount.tokens",
                  ProviderUnderTest.tokens(book.audience(), Canaries.TOKEN, expiry))),
          "UNAUTHENTICATED");
    }
  }

  @Test
  void row15_tokenOfAnotherServiceAccount_isUnauthenticated_evenForACachedObject() {
    book.assumeApplies(15);
    // Caches and credentials are keyed by the attributes' identity, so a token issued to another
    // service account must be refused before any cache is consulted.
    provider.mount(valid());
    String intruder = book.token(provider.emulator, CaseBook.NAMESPACE, "intruder");
    refusedUpFront(
        ProviderUnderTest.call(
            with(
                "csi.storage.k8s.io/serviceAccount.tokens",
                ProviderUnderTest.tokens(book.audience(), intruder, "2099-01-01T00:00:00Z"))),
        "UNAUTHENTICATED");
  }

  @Test
  void row16_operatorOnlyParameters_areRefused() {
    book.assumeApplies(16);
    assertThat(book.operatorOnlyParameters())
        .as("operator-only parameters (or notApplicable(16) saying why there are none)")
        .isNotEmpty();
    for (Map.Entry<String, String> parameter : book.operatorOnlyParameters().entrySet()) {
      Map<String, String> attributes = with(parameter.getKey(), parameter.getValue());
      attributes.putAll(book.companions(parameter.getKey()));
      assertThat(refusedUpFront(ProviderUnderTest.call(attributes), "INVALID_ARGUMENT"))
          .contains(parameter.getKey());
    }
  }

  @Test
  void row17_nodePublishSecretRef_isIgnoredAndNeverLogged() {
    book.assumeApplies(17);
    // Every call of this suite carries a nodePublishSecretRef canary under each backend's
    // credential
    // keys (clientsecret, key.json); with the operator's flags off no backend takes credentials
    // from it.
    assertThat(provider.mount(ProviderUnderTest.call(provider.attributes(valid()))).files())
        .hasSize(1);
  }

  @Test
  void row18_twoPodsOfDifferentNamespaces_concurrently_useTheirOwnIdentity() throws Exception {
    book.assumeApplies(18);
    Map<String, String> other = provider.attributes(book.objects(book.object("two")));
    other.put("csi.storage.k8s.io/pod.namespace", CaseBook.OTHER_NAMESPACE);
    other.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        ProviderUnderTest.tokens(
            book.audience(),
            book.token(provider.emulator, CaseBook.OTHER_NAMESPACE, CaseBook.SERVICE_ACCOUNT),
            "2099-01-01T00:00:00Z"));
    long logins = provider.calls(book.loginOperation());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<MountReply> allowed =
          pool.submit(() -> provider.mount(book.objects(book.object("two"))));
      Future<String> denied =
          pool.submit(() -> provider.rejected(ProviderUnderTest.call(other), "PERMISSION_DENIED"));
      assertThat(allowed.get().files()).hasSize(1);
      denied.get();
    } finally {
      pool.shutdownNow();
    }
    // Team A's login may be cached from earlier rows; team B's must have been its own.
    assertThat(provider.calls(book.loginOperation()) - logins).as("logins").isBetween(1L, 2L);
  }

  @Test
  void row19_requestOver4MiB() {
    book.assumeApplies(19);
    refusedUpFront(
        ProviderUnderTest.call(with("pad", "x".repeat(4 * 1024 * 1024 + 1))), "RESOURCE_EXHAUSTED");
    assertThat(provider.client().version(Duration.ofSeconds(5)).version()).isEqualTo("v1alpha1");
  }

  @Test
  void row20_aSecretOf5MiB_orSecretsPastTheDriversLimit_areRefusedNamingTheSize() {
    book.assumeApplies(20);
    int size = 5 * 1024 * 1024;
    if (book.largestSecret() >= size) {
      book.put(provider.emulator, "huge", Canaries.SECRET + "x".repeat(size));
      long reads = provider.calls(book.readOperation());
      String message =
          provider.rejected(
              ProviderUnderTest.call(provider.attributes(book.objects(book.object("huge")))),
              "RESOURCE_EXHAUSTED");
      assertThat(message).contains("huge").containsPattern("[0-9]{7,} bytes");
      assertThat(provider.calls(book.readOperation()) - reads).isEqualTo(1);
      return;
    }
    // The service stores no secret that large: as many of its largest as pass 4 MiB together.
    int count = (int) ((4L << 20) / book.largestSecret()) + 1;
    String[] entries = new String[count];
    for (int i = 0; i < count; i++) {
      book.put(
          provider.emulator,
          "big" + i,
          Canaries.SECRET + "x".repeat(book.largestSecret() - Canaries.SECRET.length()));
      entries[i] = book.object("big" + i);
    }
    provider.warmUp();
    long reads = provider.calls(book.readOperation());
    String message =
        provider.rejected(
            ProviderUnderTest.call(provider.attributes(book.objects(entries))),
            "RESOURCE_EXHAUSTED");
    assertThat(message).containsPattern("[0-9]{7,} bytes");
    assertThat(provider.calls(book.readOperation()) - reads)
        .as("one read per object")
        .isEqualTo(count);
  }

  @Test
  void row21_tenThousandObjects_areAboveTheCap() {
    book.assumeApplies(21);
    // 257 objects fit the YAML bounds: the object cap refuses them, naming it.
    String over =
        book.objects(
            IntStream.range(0, 257).mapToObj(i -> book.object("o" + i)).toArray(String[]::new));
    assertThat(refusedUpFront(over)).contains("256");
    // 10,000 are refused before they are parsed, by the size bound of the objects document.
    String objects =
        book.objects(
            IntStream.range(0, 10_000).mapToObj(i -> book.object("o" + i)).toArray(String[]::new));
    assertThat(refusedUpFront(objects)).contains(book.objectsKey()).contains("larger than");
  }

  @Test
  void row22_aJsonKeyOfASecretThatIsNotJson_namesTheObject() {
    book.assumeApplies(22);
    try {
      String objects = book.jsonKeyOfNonJson(provider.emulator);
      long reads = provider.calls(book.readOperation());
      String code =
          provider.rejectedWithAnyOf(
              ProviderUnderTest.call(provider.attributes(objects)),
              "INVALID_ARGUMENT",
              "FAILED_PRECONDITION");
      assertThat(code).isNotEmpty();
      // Not retried: the answer will not change.
      assertThat(provider.calls(book.readOperation()) - reads).isEqualTo(1);
    } finally {
      provider.emulator.faults().clear();
    }
  }

  @Test
  void row28_missingObject_isNotFound() {
    book.assumeApplies(28);
    long reads = provider.calls(book.readOperation());
    assertThat(
            provider.rejected(
                ProviderUnderTest.call(provider.attributes(book.objects(book.object("missing")))),
                "NOT_FOUND"))
        .contains("missing");
    assertThat(provider.calls(book.readOperation()) - reads).as("not retried").isBetween(1L, 2L);
  }

  @Test
  void row35_objectVersions_areStableAndHoldNoContent() {
    book.assumeApplies(35);
    MountReply first = provider.mount(book.objects(book.object("one"), book.object("two")));
    MountReply second = provider.mount(book.objects(book.object("one"), book.object("two")));
    assertThat(second.versions()).isEqualTo(first.versions());
    String sha256 = sha256Hex((Canaries.SECRET + "-one").getBytes(StandardCharsets.UTF_8));
    assertThat(first.versions())
        .allSatisfy(
            v -> {
              assertThat(v.version())
                  .isNotEmpty()
                  .doesNotContain(Canaries.SECRET)
                  .isNotEqualTo(sha256);
              LogCapture.assertNoCanaryIn(v.version(), Canaries.SECRET);
            });
  }

  @Test
  void row37_success_oneVersionPerObject_filesAndPathsValid() {
    book.assumeApplies(37);
    MountReply reply =
        provider.mount(book.objects(book.object("one"), book.object("two"), book.object("three")));
    assertThat(reply.versions()).hasSize(3);
    assertThat(reply.errorCode()).isEmpty();
    assertThat(reply.files())
        .extracting(MountReply.ReturnedFile::path)
        .containsExactlyInAnyOrder(
            book.defaultPath("one"), book.defaultPath("two"), book.defaultPath("three"));
    assertThat(reply.files())
        .allSatisfy(
            f -> {
              assertThat(FilePaths.driverViolation(f.path())).isEmpty();
              assertThat(FilePaths.providerViolation(f.path())).isEmpty();
              assertThat(f.mode()).isEqualTo(420);
              assertThat(new String(f.contents(), StandardCharsets.UTF_8))
                  .startsWith(Canaries.SECRET);
            });
  }

  @Test
  void row36_failuresInsideTheBackendAtTrace_leakNothing() {
    book.assumeApplies(36);
    // Logs are captured at TRACE and scanned after each test; here the backend itself refuses.
    Map<String, String> intruder =
        with(
            "csi.storage.k8s.io/serviceAccount.tokens",
            ProviderUnderTest.tokens(
                book.audience(),
                book.token(provider.emulator, CaseBook.NAMESPACE, "intruder"),
                "2099-01-01T00:00:00Z"));
    intruder.put("csi.storage.k8s.io/serviceAccount.name", "intruder");
    long logins = provider.calls(book.loginOperation());
    provider.rejected(ProviderUnderTest.call(intruder), "PERMISSION_DENIED");
    assertThat(provider.calls(book.loginOperation()) - logins).isEqualTo(1);
    provider.rejected(
        ProviderUnderTest.call(
            provider.attributes(book.objects(book.object("one"), book.object("missing")))),
        "NOT_FOUND");
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
