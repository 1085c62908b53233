// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.driver.AtomicWriter;
import io.secretsstore.provider.driver.CheckedResponse;
import io.secretsstore.provider.driver.DriverFailure;
import io.secretsstore.provider.driver.DriverRequest;
import io.secretsstore.provider.driver.DriverRequestBuilder;
import io.secretsstore.provider.driver.DriverResponseCheck;
import io.secretsstore.provider.driver.DriverVersion;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks 14 to 16: deadlines and cancellation, cheap repeated mounts, and the driver's own flow
 * (first mount, then a republish or a v1.5 rotation call) with its response checks and its atomic
 * writer, for each driver release asked for.
 */
final class DriverFlowChecks {
  /** The Azure provider bounds its work at 1m50s, inside kubelet's 2 minutes. */
  static final Duration KUBELET_MARGIN = Duration.ofSeconds(110);

  static final int REPEATS = 5;
  private static final Duration CANCELLED_DEADLINE = Duration.ofMillis(1);

  private final ProviderProbe probe;
  private final ValidMount mount;
  private final Path work;
  private final DriverRequest baseRequest;
  private final Attempt base;

  DriverFlowChecks(
      ProviderProbe probe, ValidMount mount, Path work, DriverRequest baseRequest, Attempt base) {
    this.probe = probe;
    this.mount = mount;
    this.work = work;
    this.baseRequest = baseRequest;
    this.base = base;
  }

  /** Check 14, after every other Mount of the run so that the longest one is known. */
  CheckResult deadline() {
    Findings findings = new Findings();
    Attempt cancelled = probe.mount(baseRequest.toMountCall(), CANCELLED_DEADLINE);
    try {
      probe.client().version(SocketChecks.VERSION_LIMIT);
    } catch (ProviderCallException e) {
      findings.fail("Version failed after a cancelled Mount: " + e.code());
    }
    Attempt after = probe.mount(baseRequest);
    findings.require(
        after.succeeded(), "the Mount after a cancelled one failed: " + after.summary());
    Duration longest = probe.longestMount();
    findings.require(
        longest.compareTo(KUBELET_MARGIN) < 0,
        "a Mount took " + longest.toSeconds() + " s, too close to kubelet's 2 minutes");
    return CheckResult.of(
        14,
        findings,
        "longest Mount "
            + longest.toMillis()
            + " ms; after a Mount cancelled at 1 ms ("
            + cancelled.code()
            + ") the provider still answers");
  }

  CheckResult repeated() {
    Findings findings = new Findings();
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < REPEATS; i++) {
      Attempt again = probe.mount(baseRequest);
      millis.add(again.took().toMillis());
      if (!again.succeeded()
          || !again.files().equals(base.files())
          || !again.versions().equals(base.versions())) {
        findings.fail("repeat " + (i + 1) + " differs from the first mount: " + again.summary());
        break;
      }
    }
    long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
    return CheckResult.of(
        15,
        findings,
        REPEATS
            + " repeats identical; first "
            + base.took().toMillis()
            + " ms, repeats median "
            + sorted[sorted.length / 2]
            + " ms");
  }

  CheckResult driverFlows(List<DriverVersion> versions) throws IOException {
    Findings findings = new Findings();
    for (DriverVersion version : versions) {
      Path target = Files.createDirectories(work.resolve("flow-" + version).resolve("mount"));
      DriverRequestBuilder builder = mount.builder(target);
      try {
        CheckedResponse first =
            writeChecked(target, builder.publish(), findings, version + " first mount");
        DriverRequest again =
            version.hasRotationReconciler()
                ? builder.v15Rotation(
                    first.versions().entrySet().stream()
                        .map(
                            e ->
                                new io.secretsstore.provider.mount.ObjectVersion(
                                    e.getKey(), e.getValue()))
                        .toList())
                : builder.publish();
        writeChecked(
            target,
            again,
            findings,
            version + (version.hasRotationReconciler() ? " rotation call" : " republish"));
      } catch (DriverFailure e) {
        findings.fail(e.getMessage());
      }
    }
    return CheckResult.of(
        16,
        findings,
        "driver "
            + versions
            + ": the responses pass the driver's checks and its atomic writer writes them");
  }

  private CheckedResponse writeChecked(
      Path target, DriverRequest request, Findings findings, String what) throws IOException {
    Attempt attempt = probe.mount(request);
    if (!attempt.ok()) {
      throw new DriverFailure(what + ": " + attempt.summary());
    }
    CheckedResponse checked;
    try {
      checked = DriverResponseCheck.check(attempt.reply().orElseThrow());
    } catch (DriverFailure e) {
      throw new DriverFailure(what + ": " + e.getMessage());
    }
    new AtomicWriter(Clock.systemUTC()).write(target, checked.files());
    for (MountReply.ReturnedFile file : checked.files().values()) {
      findings.require(
          Arrays.equals(Files.readAllBytes(target.resolve(file.path())), file.contents()),
          what + ": " + file.path() + " does not read back as returned");
    }
    return checked;
  }
}
