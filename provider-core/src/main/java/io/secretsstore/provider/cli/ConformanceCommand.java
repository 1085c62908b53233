// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.conformance.CheckResult;
import io.secretsstore.provider.conformance.ConformanceSettings;
import io.secretsstore.provider.conformance.ConformanceSuite;
import io.secretsstore.provider.conformance.Outcome;
import io.secretsstore.provider.conformance.ValidMount;
import io.secretsstore.provider.driver.DriverFailure;
import io.secretsstore.provider.driver.DriverVersion;
import io.secretsstore.provider.driver.NodePublishSecretFile;
import io.secretsstore.provider.driver.PodSettings;
import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.text.TextTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Checks a provider socket, ours or an upstream one, against the 16 conformance checks of the
 * driver contract, sending exactly what driver v1.5 and v1.6 send. Exit codes: 0 no check failed, 1
 * a check failed (or the run could not start), 2 usage error.
 */
@Command(
    name = "conformance",
    sortOptions = false,
    description = {
      "Check a provider socket against the Secrets Store CSI driver's provider contract (16 checks).",
      "",
      "Without --spc only the checks that need no mount run (socket, Version, error handling); give a"
          + " SecretProviderClass the provider can serve, and the pod's tokens, for the rest.",
      "Tokens, nodePublishSecretRef values and file contents are never printed."
          + " Exit codes: 0 no check failed, 1 a check failed, 2 usage error.",
      ""
    })
final class ConformanceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--socket",
      required = true,
      paramLabel = "PATH",
      description = "The provider's Unix socket.")
  Path socket;

  @Option(
      names = "--driver-version",
      paramLabel = "VERSION",
      converter = MountCommand.DriverVersionConverter.class,
      description = "Driver release whose requests to send: v1.6 or v1.5 (default: both).")
  DriverVersion driverVersion;

  @Option(
      names = "--provider-name",
      paramLabel = "NAME",
      description = "The SecretProviderClass spec.provider the socket must be named after.")
  String providerName;

  @Option(
      names = "--spc",
      paramLabel = "FILE",
      description = "A SecretProviderClass the provider can mount (v1 or v1alpha1).")
  Path spcFile;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description = "The pod's namespace (default: the SPC's, else default).")
  String namespace;

  @Option(
      names = "--pod-name",
      paramLabel = "NAME",
      defaultValue = "conformance",
      description = "The pod's name (default: ${DEFAULT-VALUE}).")
  String podName;

  @Option(
      names = "--service-account",
      paramLabel = "NAME",
      defaultValue = "default",
      description = "The pod's service account (default: ${DEFAULT-VALUE}).")
  String serviceAccount;

  @Option(
      names = "--token",
      paramLabel = "AUDIENCE=FILE",
      description = "A service-account token (JWT) for an audience; repeatable.")
  List<String> tokens = List.of();

  @Option(
      names = "--node-publish-secret",
      paramLabel = "FILE",
      description = "Secret manifest of the volume's nodePublishSecretRef.")
  Path nodePublishSecret;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description = "Deadline of each Mount call, kubelet's (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<ValidMount> mount;
    try {
      mount = validMount();
    } catch (DriverFailure e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    List<DriverVersion> versions =
        driverVersion == null
            ? List.of(DriverVersion.V1_6, DriverVersion.V1_5)
            : List.of(driverVersion);
    ConformanceSuite.Report report =
        ConformanceSuite.run(
            new ConformanceSettings(
                socket, Optional.ofNullable(providerName), versions, mount, timeout));
    TextTable table = new TextTable("#", "check", "result", "detail").alignRight(0);
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (CheckResult result : report.checks()) {
      table.add(
          Integer.toString(result.number()),
          result.title(),
          result.outcome().toString(),
          result.detail());
      counts.merge(result.outcome(), 1, Integer::sum);
    }
    out.println("provider socket: " + socket + ", driver " + versions);
    report.failedPrecondition().ifPresent(why -> out.println("precondition failed: " + why));
    table.print(out);
    out.println(
        counts.getOrDefault(Outcome.PASS, 0)
            + " passed, "
            + counts.getOrDefault(Outcome.WARN, 0)
            + " warned, "
            + counts.getOrDefault(Outcome.FAIL, 0)
            + " failed, "
            + counts.getOrDefault(Outcome.SKIP, 0)
            + " skipped"
            + (report.failedPrecondition().isPresent() ? ", 1 precondition failed" : ""));
    out.flush();
    return report.failed() ? 1 : 0;
  }

  private Optional<ValidMount> validMount() {
    if (spcFile == null) {
      return Optional.empty();
    }
    SecretProviderClassFile spc = SecretProviderClassFile.read(spcFile);
    String podNamespace = namespace != null ? namespace : spc.namespace().orElse("default");
    spc.checkForPod(podNamespace);
    PodSettings pod =
        new PodSettings(
            podNamespace, podName, UUID.randomUUID().toString(), serviceAccount, true, Map.of());
    return Optional.of(
        new ValidMount(
            spc,
            pod,
            MountCommand.tokenFiles(tokens, spec),
            Optional.ofNullable(nodePublishSecret).map(NodePublishSecretFile::read)));
  }
}
