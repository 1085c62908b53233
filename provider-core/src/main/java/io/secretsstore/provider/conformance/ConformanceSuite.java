// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.driver.AtomicWriter;
import io.secretsstore.provider.driver.DriverRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Runs the 16 conformance checks of driver-contract.md against a provider socket, ours or an
 * upstream one. Checks that need a mount the provider can serve are skipped without one.
 */
public final class ConformanceSuite {
  /** The number of checks. */
  public static final int CHECKS = 16;

  private static final String[] TITLES = {
    "",
    "v1alpha1 API on <dir>/<name>.sock",
    ":authority localhost, reconnects",
    "Version under 5 s, semver",
    "unknown attributes ignored",
    "tokens absent, one or several audiences",
    "secrets null, {}, map, map with tokens",
    "permission \"420\" is the default mode",
    "current_object_version empty and populated",
    "object versions: present, unique, stable",
    "file paths and modes",
    "response at most 1 MiB",
    "secretObjects name returned paths",
    "errors: clean status, no echo",
    "within kubelet's deadline, cancellable",
    "repeated Mounts idempotent and cheap",
    "driver flows: mount, then remount",
  };

  /** The checks that need a mount the provider can serve. */
  private static final int[] NEEDS_A_MOUNT = {4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16};

  private ConformanceSuite() {}

  /**
   * What a run found.
   *
   * @param checks every check's result, in check order
   * @param failedPrecondition why the checks that need a mount did not run (the given
   *     SecretProviderClass could not be mounted), reported once; empty when they ran
   */
  public record Report(List<CheckResult> checks, Optional<String> failedPrecondition) {
    public Report {
      checks = List.copyOf(checks);
    }

    /** Whether a check or the precondition failed. */
    public boolean failed() {
      return failedPrecondition.isPresent()
          || checks.stream().anyMatch(check -> check.outcome() == Outcome.FAIL);
    }
  }

  /** Runs every check; the results come in check order. */
  public static Report run(ConformanceSettings settings) throws IOException {
    Path work = Files.createTempDirectory("conformance");
    try (ProviderProbe probe = new ProviderProbe(settings.socket(), settings.timeout())) {
      List<CheckResult> results =
          new ArrayList<>(new SocketChecks(probe, settings.providerName()).run());
      Optional<DriverRequest> valid = Optional.empty();
      Optional<String> failedPrecondition = Optional.empty();
      if (settings.validMount().isEmpty()) {
        results.addAll(
            unrun(Outcome.SKIP, "needs --spc (and --token for providers that use pod tokens)"));
      } else {
        ValidMount mount = settings.validMount().get();
        Path target =
            Files.createDirectories(
                work.resolve("pods")
                    .resolve(mount.pod().uid())
                    .resolve("volumes/kubernetes.io~csi/secrets-store-inline/mount"));
        DriverRequest request = mount.builder(target).publish();
        valid = Optional.of(request);
        Attempt base = probe.mount(request);
        if (!base.succeeded()) {
          failedPrecondition =
              Optional.of("the mount of the given SecretProviderClass failed: " + base.summary());
          results.addAll(unrun(Outcome.SKIP, "not run: needs the mount that failed (above)"));
        } else {
          results.addAll(new RequestChecks(probe, mount, work, request, base).run());
          results.addAll(ResponseChecks.run(base.reply().orElseThrow(), mount.spc()));
          DriverFlowChecks flows = new DriverFlowChecks(probe, mount, work, request, base);
          results.add(flows.repeated());
          results.add(flows.driverFlows(settings.driverVersions()));
          results.add(flows.deadline());
        }
      }
      results.add(new ErrorChecks(probe, valid).run());
      results.sort(Comparator.comparingInt(CheckResult::number));
      return new Report(results, failedPrecondition);
    } finally {
      AtomicWriter.deleteTree(work);
    }
  }

  /** What check {@code number} asks of a provider, in a few words. */
  public static String title(int number) {
    return TITLES[number];
  }

  private static List<CheckResult> unrun(Outcome outcome, String why) {
    List<CheckResult> results = new ArrayList<>();
    for (int number : NEEDS_A_MOUNT) {
      results.add(CheckResult.of(number, outcome, why));
    }
    return results;
  }
}
