// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of ARCHITECTURE.md, checked on the production classes of every module:
 * protobuf stops at core's grpc package, the SPI depends on nothing of the engine, core never
 * knows a backend, and backends never know each other.
 */
class LayeringTest {
  private static final String BASE = "io.secretsstore.provider";
  private static final JavaClasses CLASSES =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // core's test jar (on this module's test class path) is tests too, though packaged as a jar.
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages(BASE);
  private static final String[] BACKENDS = {"aws", "azure", "gcp", "vault"};

  @Test
  void onlyTheGrpcPackageUsesTheGeneratedTypes() {
    noClasses().that().resideOutsideOfPackages(BASE + ".grpc..", BASE + ".proto..")
        .should().dependOnClassesThat().resideInAPackage(BASE + ".proto..")
        .check(CLASSES);
  }

  @Test
  void theSpiDependsOnNothingOfTheEngineServerOrCli() {
    noClasses().that().resideInAPackage(BASE + ".spi..")
        .should().dependOnClassesThat().resideInAnyPackage(BASE + ".fetch..", BASE + ".grpc..", BASE + ".cli..", BASE + ".driver..")
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
    noClasses().that().resideInAnyPackage(BASE + ".spi..", BASE + ".mount..", BASE + ".fetch..", BASE + ".grpc..",
            BASE + ".cli..", BASE + ".driver..", BASE + ".kube..", BASE + ".credentials..", BASE + ".logging..", BASE + ".tls..")
        .should().dependOnClassesThat().resideInAnyPackage(outside)
        .check(CLASSES);
  }

  @Test
  void backendsNeverDependOnEachOtherOrOnTheServer() {
    for (String backend : BACKENDS) {
      for (String other : BACKENDS) {
        if (!other.equals(backend)) {
          noClasses().that().resideInAPackage(BASE + "." + backend + "..")
              .should().dependOnClassesThat().resideInAPackage(BASE + "." + other + "..")
              .allowEmptyShould(true)
              .check(CLASSES);
        }
      }
      noClasses().that().resideInAPackage(BASE + "." + backend + "..")
          .should().dependOnClassesThat().resideInAnyPackage(BASE + ".grpc..", BASE + ".fetch..", BASE + ".driver..")
          .allowEmptyShould(true)
          .check(CLASSES);
    }
  }
}
