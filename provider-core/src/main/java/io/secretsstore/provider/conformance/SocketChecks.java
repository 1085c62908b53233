// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.grpc.SocketPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks 1 to 3: the socket, the API on it, reconnects and Version. */
final class SocketChecks {
  /** The driver's health check gives Version this long. */
  static final Duration VERSION_LIMIT = Duration.ofSeconds(5);

  static final int RECONNECTS = 3;
  private static final Pattern SEMVER =
      Pattern.compile(
          "v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final ProviderProbe probe;
  private final Optional<String> providerName;

  SocketChecks(ProviderProbe probe, Optional<String> providerName) {
    this.probe = probe;
    this.providerName = providerName;
  }

  List<CheckResult> run() {
    return List.of(socketAndApi(), reconnects(), version());
  }

  private CheckResult socketAndApi() {
    Findings findings = new Findings();
    Path socket = probe.socket();
    String file = socket.getFileName() == null ? "" : socket.getFileName().toString();
    String name = file.endsWith(".sock") ? file.substring(0, file.length() - ".sock".length()) : "";
    findings.require(
        file.endsWith(".sock"),
        "the socket is not named <provider>.sock, so the driver cannot find it");
    findings.require(
        name.isEmpty() || SocketPath.PROVIDER_NAME.matcher(name).matches(),
        "the name before .sock does not match ^[a-zA-Z0-9_-]{0,30}$");
    providerName
        .filter(expected -> !expected.equals(name))
        .ifPresent(
            expected -> findings.fail("the socket is not " + expected + ".sock (--provider-name)"));
    try {
      int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      findings.require((mode & S_IFMT) == S_IFSOCK, "the path is not a Unix socket");
      findings.require(
          (mode & 077) == 0,
          String.format(
              "socket mode %04o lets other local users call the provider; it must be 0700 or 0600",
              mode & 07777));
    } catch (IOException | UnsupportedOperationException e) {
      findings.fail("cannot read the socket's mode (" + e.getClass().getSimpleName() + ")");
    }
    try {
      probe.client().version(VERSION_LIMIT);
    } catch (ProviderCallException e) {
      findings.fail("Version failed: " + e.code());
    }
    // An empty request must be refused by the provider, not by gRPC for want of the method.
    Attempt empty =
        probe.mount(new ProviderClient.MountCall("", "", "", "", List.of()), VERSION_LIMIT);
    findings.require(!empty.code().equals("UNIMPLEMENTED"), "Mount is not implemented");
    return CheckResult.of(
        1, findings, "Version and Mount served on " + file + ", mode 0700 or stricter");
  }

  private CheckResult reconnects() {
    Findings findings = new Findings();
    for (int i = 0; i < RECONNECTS; i++) {
      // Each driver restart dials anew; :authority is always localhost.
      try (ProviderClient fresh = ProviderClient.connect(probe.socket())) {
        fresh.version(VERSION_LIMIT);
      } catch (ProviderCallException e) {
        findings.fail("connection " + (i + 1) + " of " + RECONNECTS + " failed: " + e.code());
        break;
      }
    }
    return CheckResult.of(
        2,
        findings,
        RECONNECTS
            + " fresh connections with :authority localhost answered (stale-socket removal at start is not visible to a client)");
  }

  private CheckResult version() {
    Findings findings = new Findings();
    long start = System.nanoTime();
    try {
      ProviderClient.VersionInfo info = probe.client().version(VERSION_LIMIT);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      findings.require(
          SEMVER.matcher(info.runtimeVersion()).matches(),
          "runtime_version \"" + Attempt.shown(info.runtimeVersion()) + "\" is not semver");
      findings.require(!info.runtimeName().isBlank(), "runtime_name is empty");
      return CheckResult.of(
          3,
          findings,
          Attempt.shown(info.runtimeName())
              + " "
              + Attempt.shown(info.runtimeVersion())
              + " in "
              + took.toMillis()
              + " ms");
    } catch (ProviderCallException e) {
      return CheckResult.of(3, Outcome.FAIL, "Version failed within 5 s: " + e.code());
    }
  }
}
