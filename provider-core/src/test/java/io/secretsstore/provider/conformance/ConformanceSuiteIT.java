// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.conformance.MisbehavingProvider.Misbehaviour;
import io.secretsstore.provider.driver.DriverVersion;
import io.secretsstore.provider.driver.PodSettings;
import io.secretsstore.provider.driver.SecretProviderClassFile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance checks against a provider that follows the contract and against providers that
 * each break one rule of it: every check is shown to fail (or warn) when it should.
 */
class ConformanceSuiteIT {
  private static final SecretProviderClassFile SPC =
      SecretProviderClassFile.parse(
          String.join(
              "\n",
              "apiVersion: secrets-store.csi.x-k8s.io/v1",
              "kind: SecretProviderClass",
              "metadata: {name: e2e, namespace: default}",
              "spec:",
              "  provider: e2e-provider",
              "  parameters: {objects: 'a,b'}",
              "  secretObjects:",
              "  - secretName: synced",
              "    type: Opaque",
              "    data: [{objectName: a, key: a}]"));

  private static List<CheckResult> run(Misbehaviour misbehaviour) throws Exception {
    return report(misbehaviour).checks();
  }

  private static ConformanceSuite.Report report(Misbehaviour misbehaviour) throws Exception {
    try (MisbehavingProvider provider = new MisbehavingProvider(misbehaviour)) {
      ValidMount mount =
          new ValidMount(
              SPC,
              new PodSettings(
                  "default",
                  "pod",
                  "0b7c3e52-9f0e-4c1a-8d4b-3f2a1e0c9d8b",
                  "default",
                  true,
                  Map.of()),
              Map.of(),
              Optional.empty());
      return ConformanceSuite.run(
          new ConformanceSettings(
              provider.socket(),
              Optional.of("e2e-provider"),
              List.of(DriverVersion.V1_6, DriverVersion.V1_5),
              Optional.of(mount),
              Duration.ofSeconds(10)));
    }
  }

  @Test
  void aProviderThatFollowsTheContract_passesAllSixteenChecks() throws Exception {
    List<CheckResult> results = run(Misbehaviour.NONE);
    assertThat(results)
        .extracting(CheckResult::number)
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    assertThat(results)
        .allSatisfy(r -> assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS));
  }

  static Stream<Arguments> brokenProviders() {
    return Stream.of(
        Arguments.of(Misbehaviour.WIDE_SOCKET_MODE, 1, Outcome.FAIL, "socket mode 0755"),
        Arguments.of(Misbehaviour.NOT_SEMVER, 3, Outcome.FAIL, "not semver"),
        Arguments.of(Misbehaviour.REJECTS_EMPTY_SECRETS, 6, Outcome.FAIL, "secrets {}"),
        Arguments.of(Misbehaviour.IGNORES_PERMISSION, 7, Outcome.FAIL, "mode 0"),
        Arguments.of(
            Misbehaviour.NEEDS_EMPTY_CURRENT_VERSIONS, 8, Outcome.FAIL, "v1.5 rotation call"),
        Arguments.of(
            Misbehaviour.NEEDS_EMPTY_CURRENT_VERSIONS, 16, Outcome.FAIL, "v1.5 rotation call"),
        Arguments.of(Misbehaviour.NO_OBJECT_VERSIONS, 9, Outcome.FAIL, "missing object versions"),
        Arguments.of(Misbehaviour.NO_OBJECT_VERSIONS, 16, Outcome.FAIL, "missing object versions"),
        Arguments.of(Misbehaviour.UNSTABLE_VERSIONS, 9, Outcome.FAIL, "versions change"),
        Arguments.of(Misbehaviour.UNSTABLE_VERSIONS, 15, Outcome.FAIL, "differs"),
        Arguments.of(Misbehaviour.PATH_ESCAPES, 10, Outcome.FAIL, "\"../a\""),
        Arguments.of(Misbehaviour.PATH_ESCAPES, 12, Outcome.FAIL, "objectName a not found"),
        Arguments.of(Misbehaviour.PATH_ESCAPES, 16, Outcome.FAIL, "invalid path"),
        Arguments.of(Misbehaviour.OVER_ONE_MIB, 11, Outcome.WARN, "secret sync may fail"),
        Arguments.of(Misbehaviour.ECHOES_INPUT, 13, Outcome.FAIL, "echoes a planted"),
        Arguments.of(Misbehaviour.UNAVAILABLE_FOR_BAD_INPUT, 13, Outcome.FAIL, "UNAVAILABLE"));
  }

  @Test
  void aProviderThatRefusesTheGivenMount_failsThatPreconditionOnce_andSkipsTheChecksThatNeedIt()
      throws Exception {
    ConformanceSuite.Report report = report(Misbehaviour.STRICT_ATTRIBUTES);
    assertThat(report.failedPrecondition())
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .startsWith("the mount of the given SecretProviderClass failed")
                    .contains("INVALID_ARGUMENT"));
    assertThat(report.failed()).isTrue();
    assertThat(report.checks())
        .filteredOn(check -> check.outcome() == Outcome.FAIL)
        .as("not one failure per check")
        .isEmpty();
    assertThat(report.checks())
        .filteredOn(check -> check.detail().contains("needs the mount that failed"))
        .extracting(CheckResult::number)
        .containsExactly(4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16);
  }

  @ParameterizedTest(name = "{0} fails check {1}")
  @MethodSource("brokenProviders")
  void aProviderThatBreaksOneRule_failsTheCheckForIt(
      Misbehaviour misbehaviour, int check, Outcome outcome, String detail) throws Exception {
    List<CheckResult> results = run(misbehaviour);
    CheckResult result = results.get(check - 1);
    assertThat(result.number()).isEqualTo(check);
    assertThat(result.outcome()).as(result.toString()).isEqualTo(outcome);
    assertThat(result.detail()).contains(detail);
    for (CheckResult r : results) {
      assertThat(r.detail())
          .as("the report never shows a planted value")
          .doesNotContain(PlantedValues.TOKEN, PlantedValues.SECRET_VALUE);
    }
  }
}
