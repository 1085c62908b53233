// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.driver.DriverFailure;
import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.health.ProbeIdentity;
import io.secretsstore.provider.spi.SecretBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code serve}'s optional readiness probe identity: readiness also mounts a SecretProviderClass as
 * it.
 */
final class ReadinessProbeOptions {
  /** Below kubelet's default probe period, so one slow backend answer does not stack probes. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--readiness-probe-spc",
      paramLabel = "FILE",
      description =
          "SecretProviderClass that readiness mounts (without the cache, the objects discarded) as a pod of its namespace, so that readiness fails when credentials cannot be obtained.")
  Path secretProviderClass;

  @Option(
      names = "--readiness-probe-service-account",
      paramLabel = "NAME",
      defaultValue = "default",
      description =
          "The probe pod's service account, whose tokens --readiness-probe-token holds (default: ${DEFAULT-VALUE}).")
  String serviceAccount;

  @Option(
      names = "--readiness-probe-token",
      paramLabel = "AUDIENCE=FILE",
      description =
          "A token file for an audience (e.g. a projected service-account token), read on every probe; repeatable.")
  List<String> tokens = new ArrayList<>();

  @Option(
      names = "--readiness-probe-interval",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "How often the probe identity mounts; readiness checks in between reuse the answer (default: ${DEFAULT-VALUE}).")
  Duration interval;

  /** The probe when configured, started for {@code backend}. */
  Optional<ProbeIdentity> probe(SecretBackend backend) {
    if (secretProviderClass == null) {
      if (!tokens.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(), "--readiness-probe-token needs --readiness-probe-spc");
      }
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ProbeIdentity(
              backend,
              SecretProviderClassFile.read(secretProviderClass),
              serviceAccount,
              MountCommand.tokenFiles(tokens, spec),
              Clock.systemUTC(),
              PROBE_TIMEOUT));
    } catch (DriverFailure | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--readiness-probe-spc: " + e.getMessage());
    }
  }

  /** The backend's own readiness, then the probe identity's (at most once per interval). */
  Supplier<Optional<String>> readiness(SecretBackend backend, Optional<ProbeIdentity> probe) {
    if (probe.isEmpty()) {
      return backend::readinessProblem;
    }
    Supplier<Optional<String>> identity = probe.get().every(interval);
    return () -> backend.readinessProblem().or(identity);
  }
}
