// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.FilePaths;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.testing.Canaries;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Every parameter parser, fed arbitrary input: it answers within a bound, fails only with the
 * project's validation error (INVALID_ARGUMENT, or UNAUTHENTICATED for tokens), never echoes a
 * canary planted in the input, and input it accepts round-trips. Tries are kept modest.
 */
class ParserPropertiesTest {
  private static final Duration BOUND = Duration.ofSeconds(5);
  private static final List<CaseBook> BOOKS =
      List.of(new VaultCases(), new AwsCases(), new GcpCases(), new AzureCases());
  private static final Map<String, ProviderUnderTest> PROVIDERS = new LinkedHashMap<>();

  private static synchronized ProviderUnderTest provider(CaseBook book) {
    return PROVIDERS.computeIfAbsent(
        book.backend(),
        name -> {
          try {
            return ProviderUnderTest.start(book, ChecklistSuite.NO_BACKGROUND_POLLS);
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @AfterContainer
  static void stop() throws Exception {
    for (ProviderUnderTest provider : PROVIDERS.values()) {
      provider.close();
    }
    PROVIDERS.clear();
  }

  /** Runs a parse; returns null when it accepted, else the validation error, after checking it. */
  private static ProviderException parse(Supplier<?> parser, ErrorKind... allowed) {
    try {
      assertTimeoutPreemptively(BOUND, parser::get);
      return null;
    } catch (ProviderException e) {
      assertThat(e.kind()).isIn((Object[]) allowed);
      assertThat(e.getMessage()).doesNotContain(Canaries.SECRET).doesNotContain(Canaries.TOKEN);
      return e;
    }
  }

  /** Text from a JSON and YAML alphabet with the canaries mixed in. */
  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<String> pieces =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .withChars("{}[]\":,'-!&*|>#\\ \n\t0123456789abcxyz.")
                .ofMaxLength(12),
            Arbitraries.of(
                Canaries.SECRET,
                Canaries.TOKEN,
                "objectName: ",
                "- ",
                "!!java.net.URL ",
                "&a ",
                "*a",
                "null",
                "\u0000"),
            Arbitraries.strings().ofMaxLength(6));
    return pieces.list().ofMaxSize(12).map(list -> String.join("", list));
  }

  @Property(tries = 300)
  void attributesJson_anyInput(
      @ForAll("hostile") String attributes, @ForAll("hostile") String secrets) {
    parse(
        () -> MountRequestContext.parse(attributes, secrets, "/t", "420", List.of()),
        ErrorKind.INVALID_ARGUMENT,
        ErrorKind.UNAUTHENTICATED);
  }

  @Property(tries = 200)
  void attributesJson_acceptedMapsRoundTrip(@ForAll("plainMaps") Map<String, String> extra) {
    Map<String, String> attributes = new LinkedHashMap<>(Canaries.podAttributes());
    attributes.putAll(extra);
    MountRequestContext context =
        MountRequestContext.parse(
            ProviderUnderTest.json(attributes), "null", "/t", "420", List.of());
    assertThat(context.attributes()).containsAllEntriesOf(attributes);
  }

  @Provide
  Arbitrary<Map<String, String>> plainMaps() {
    return Arbitraries.maps(
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(k -> "x-" + k),
            Arbitraries.strings().ofMaxLength(20))
        .ofMaxSize(5);
  }

  @Property(tries = 300)
  void permission_anyInput(@ForAll("hostile") String permission) {
    parse(() -> FileMode.parseDecimal(permission, "permission"), ErrorKind.INVALID_ARGUMENT);
  }

  @Property(tries = 200)
  void modes_roundTrip(@ForAll @IntRange(min = 0, max = 0777) int bits) {
    assertThat(FileMode.parseDecimal(Integer.toString(bits), "permission").bits()).isEqualTo(bits);
    assertThat(FileMode.parseOctal(String.format("%04o", bits), "filePermission").bits())
        .isEqualTo(bits);
    assertThat(FileMode.parseOctal(new FileMode(bits).octal(), "filePermission").bits())
        .isEqualTo(bits);
  }

  @Property(tries = 300)
  void modes_anyInput(@ForAll("hostile") String mode) {
    ProviderException e =
        parse(() -> FileMode.parseOctal(mode, "filePermission"), ErrorKind.INVALID_ARGUMENT);
    if (e == null) {
      assertThat(FileMode.parseOctal(mode, "filePermission").bits()).isBetween(0, 0777);
    }
  }

  @Property(tries = 300)
  void filePaths_anyInput_neverThrow(@ForAll("hostile") String path) {
    assertThat(FilePaths.driverViolation(path)).isNotNull();
    assertThat(FilePaths.providerViolation(path)).isNotNull();
  }

  @Property(tries = 200)
  void filePaths_cleanRelativePaths_areAccepted(@ForAll("cleanPaths") String path) {
    assertThat(FilePaths.driverViolation(path)).isEmpty();
    assertThat(FilePaths.providerViolation(path)).isEmpty();
  }

  @Provide
  Arbitrary<String> cleanPaths() {
    Arbitrary<String> segment =
        Arbitraries.strings()
            .withChars("abcxyz019_-")
            .ofMinLength(1)
            .ofMaxLength(20)
            .filter(s -> !s.startsWith(".."));
    return segment.list().ofMinSize(1).ofMaxSize(4).map(list -> String.join("/", list));
  }

  @Property(tries = 200)
  void objects_ofEachBackend_anyInput(
      @ForAll("books") CaseBook book, @ForAll("hostile") String objects) {
    ProviderUnderTest provider = provider(book);
    parse(() -> plan(provider, objects), ErrorKind.INVALID_ARGUMENT);
  }

  @Property(tries = 200)
  void objects_ofEachBackend_acceptedRoundTrip(
      @ForAll("books") CaseBook book,
      @ForAll("cleanNames") String name,
      @ForAll @IntRange(min = 1, max = 0777) int bits) {
    // Mode 0 is left out: Vault reads it as "the default", as upstream does.
    ProviderUnderTest provider = provider(book);
    MountPlan<?> plan =
        plan(
            provider,
            book.objects(book.object(name, null, book.mode(String.format("%04o", bits)))));
    assertThat(plan.objects()).hasSize(1);
    assertThat(plan.objects().get(0).path()).isEqualTo(book.defaultPath(name));
    assertThat(plan.objects().get(0).mode().bits()).isEqualTo(bits);
  }

  @Provide
  Arbitrary<CaseBook> books() {
    return Arbitraries.of(BOOKS);
  }

  @Provide
  Arbitrary<String> cleanNames() {
    return Combinators.combine(
            Arbitraries.strings().withChars("abcxyz").ofLength(1),
            Arbitraries.strings().withChars("abcxyz019_-").ofMaxLength(20))
        .as((first, rest) -> first + rest);
  }

  private static MountPlan<?> plan(ProviderUnderTest provider, String objects) {
    return provider
        .backend()
        .plan(
            MountRequestContext.parse(
                ProviderUnderTest.json(provider.attributes(objects)),
                "null",
                "/t",
                "420",
                List.of()));
  }
}
