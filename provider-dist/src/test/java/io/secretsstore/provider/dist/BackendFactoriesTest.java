// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.dist;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.Backends;
import io.secretsstore.provider.spi.SecretBackend;
import io.secretsstore.provider.testing.TestBackend;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every backend on the class path through its factory: a started backend is built complete (every
 * field final and set, so no method checks whether it has started), and each factory, not core,
 * names the token audiences its backend's pods bring.
 */
class BackendFactoriesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("io.secretsstore.provider");

  /** The four backends: core's test jar, on this class path, registers its test double too. */
  private static List<BackendFactory> backends() {
    return Backends.discover().stream()
        .filter(factory -> !(factory instanceof TestBackend))
        .toList();
  }

  @Test
  void everyStartedBackend_hasOnlyFinalFields() {
    fields()
        .that()
        .areDeclaredInClassesThat()
        .implement(SecretBackend.class)
        .and()
        .doNotHaveModifier(JavaModifier.STATIC)
        .should()
        .haveModifier(JavaModifier.FINAL)
        .check(CLASSES);
    List<String> started =
        CLASSES.stream()
            .filter(c -> c.isAssignableTo(SecretBackend.class) && !c.isInterface())
            .map(c -> c.getSimpleName())
            .sorted()
            .toList();
    assertThat(started).contains("AwsBackend", "AzureBackend", "GcpBackend", "VaultBackend");
  }

  @Test
  void everyDryRun_setsEveryField() throws Exception {
    List<BackendFactory> factories = backends();
    assertThat(factories)
        .extracting(BackendFactory::name)
        .containsExactly("aws", "azure", "gcp", "vault");
    for (BackendFactory factory : factories) {
      new CommandLine(CommandLine.Model.CommandSpec.forAnnotatedObject(factory.options()))
          .parseArgs();
      Clock clock = Clock.systemUTC();
      try (SecretBackend backend =
          factory.startDryRun(new BackendContext(clock, new CredentialCache(clock, 10)))) {
        assertThat(backend.name()).isEqualTo(factory.name());
        for (Field field : backend.getClass().getDeclaredFields()) {
          if (!Modifier.isStatic(field.getModifiers())) {
            field.setAccessible(true);
            assertThat(field.get(backend))
                .as(factory.name() + " field " + field.getName())
                .isNotNull();
          }
        }
      }
    }
  }

  /** The audiences sync requested before each backend named its own, unchanged. */
  @Test
  void defaultAudiences_comeFromEachBackend() {
    Map<String, List<String>> defaults = new LinkedHashMap<>();
    backends().forEach(factory -> defaults.put(factory.name(), factory.defaultAudiences()));
    assertThat(defaults)
        .containsExactly(
            Map.entry("aws", List.of("sts.amazonaws.com")),
            Map.entry("azure", List.of("api://AzureADTokenExchange")),
            Map.entry("gcp", List.of()),
            Map.entry("vault", List.of("vault")));
  }

  /** The audiences migrate-check assumes the charts configure, unchanged. */
  @Test
  void chartAudiences_ofAllBackends_areTheChartsTokenRequests() {
    assertThat(
            backends().stream()
                .flatMap(factory -> factory.chartAudiences().stream())
                .distinct()
                .toList())
        .containsExactly(
            "sts.amazonaws.com",
            "pods.eks.amazonaws.com",
            "api://AzureADTokenExchange",
            "api://AKSIdentityBinding",
            "vault");
  }
}
