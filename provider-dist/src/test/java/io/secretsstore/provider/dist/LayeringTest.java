// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of ARCHITECTURE.md, checked on the production classes of every module:
 * protobuf stops at core's grpc package, the SPI depends on nothing of the engine, core never knows
 * a backend, backends never know each other, no two packages depend on each other, and production
 * code uses one Jackson, the one the Kubernetes client brings.
 */
class LayeringTest {
  private static final String BASE = "io.secretsstore.provider";
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // core's test jar (on this module's test class path) is tests too, though packaged as a
          // jar.
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages(BASE);
  private static final String[] BACKENDS = {"aws", "azure", "gcp", "vault"};

  /**
   * Jackson 2's packages. Jackson 3 still uses Jackson 2's annotations ({@code
   * com.fasterxml.jackson.annotation}, the jackson-annotations jar its databind depends on), so
   * those are not a second Jackson.
   */
  private static final DescribedPredicate<JavaClass> JACKSON_2 =
      resideInAPackage("com.fasterxml.jackson..")
          .and(not(resideInAPackage("com.fasterxml.jackson.annotation..")))
          .as("Jackson 2 (com.fasterxml.jackson.., annotations aside)");

  /** Test infrastructure and tools in no distribution, which may keep Jackson 2. */
  private static final String[] NOT_DISTRIBUTED = {BASE + ".emulators..", BASE + ".bench.."};

  @Test
  void onlyTheGrpcPackageUsesTheGeneratedTypes() {
    noClasses()
        .that()
        .resideOutsideOfPackages(BASE + ".grpc..", BASE + ".proto..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".proto..")
        .check(CLASSES);
  }

  @Test
  void theSpiDependsOnNothingOfTheEngineServerOrCli() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            BASE + ".fetch..", BASE + ".grpc..", BASE + ".cli..", BASE + ".driver..")
        .check(CLASSES);
  }

  /**
   * Every top-level package (core's {@code spi}, {@code mount}, {@code fetch}..., each backend, the
   * emulators) is a slice; a cycle between two of them means neither can be understood, tested or
   * moved without the other, so the build refuses one.
   */
  @Test
  void noPackageCycles() {
    noCyclesBetweenPackagesUnder(BASE).check(CLASSES);
  }

  /** The cycle rule is real: two fixture packages that use each other fail it. */
  @Test
  void theCycleRuleRefusesACycle() {
    String fixture = "io.secretsstore.cyclefixture";
    JavaClasses cyclic = new ClassFileImporter().importPackages(fixture);
    assertThatThrownBy(() -> noCyclesBetweenPackagesUnder(fixture).check(cyclic))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining("left")
        .hasMessageContaining("right");
  }

  private static ArchRule noCyclesBetweenPackagesUnder(String base) {
    return slices().matching(base + ".(*)..").should().beFreeOfCycles();
  }

  /** The request model sits below the contract: parsing a mount request needs no backend type. */
  @Test
  void theRequestModelAndCredentialsSitBelowTheSpi() {
    noClasses()
        .that()
        .resideInAnyPackage(BASE + ".mount..", BASE + ".credentials..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".spi..")
        .check(CLASSES);
  }

  @Test
  void coreNeverDependsOnABackendOrTheEmulators() {
    String[] outside = new String[BACKENDS.length + 2];
    for (int i = 0; i < BACKENDS.length; i++) {
      outside[i] = BASE + "." + BACKENDS[i] + "..";
    }
    outside[BACKENDS.length] = BASE + ".emulators..";
    outside[BACKENDS.length + 1] = BASE + ".dist..";
    noClasses()
        .that()
        .resideInAnyPackage(
            BASE + ".spi..",
            BASE + ".mount..",
            BASE + ".fetch..",
            BASE + ".grpc..",
            BASE + ".cli..",
            BASE + ".driver..",
            BASE + ".kube..",
            BASE + ".credentials..",
            BASE + ".logging..",
            BASE + ".tls..",
            BASE + ".text..",
            BASE + ".http..",
            BASE + ".health..",
            BASE + ".metrics..",
            BASE + ".sync..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(outside)
        .check(CLASSES);
  }

  @Test
  void backendsNeverDependOnEachOtherOrOnTheServer() {
    for (String backend : BACKENDS) {
      for (String other : BACKENDS) {
        if (!other.equals(backend)) {
          noClasses()
              .that()
              .resideInAPackage(BASE + "." + backend + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage(BASE + "." + other + "..")
              .allowEmptyShould(true)
              .check(CLASSES);
        }
      }
      noClasses()
          .that()
          .resideInAPackage(BASE + "." + backend + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(BASE + ".grpc..", BASE + ".fetch..", BASE + ".driver..")
          .allowEmptyShould(true)
          .check(CLASSES);
    }
  }

  /**
   * One Jackson (issue 23): production code uses Jackson 3 ({@code tools.jackson}), which the
   * Kubernetes client needs anyway, so a provider does not load two JSON libraries.
   */
  @Test
  void productionCodeUsesOnlyJackson3() {
    noJackson2Outside(NOT_DISTRIBUTED).check(CLASSES);
  }

  /** The one-Jackson rule is real: the emulators, which use Jackson 2, fail it. */
  @Test
  void theOneJacksonRuleRefusesJackson2() {
    JavaClasses emulators = CLASSES.that(resideInAPackage(BASE + ".emulators.."));
    assertThatThrownBy(() -> noJackson2Outside(BASE + ".bench..").check(emulators))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("com.fasterxml.jackson.databind");
  }

  private static ArchRule noJackson2Outside(String... packages) {
    return noClasses()
        .that()
        .resideOutsideOfPackages(packages)
        .should()
        .dependOnClassesThat(JACKSON_2);
  }
}
