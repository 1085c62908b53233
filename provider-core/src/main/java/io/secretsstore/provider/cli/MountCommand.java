// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.driver.DriverEmulator;
import io.secretsstore.provider.driver.DriverVersion;
import io.secretsstore.provider.driver.MountSettings;
import io.secretsstore.provider.driver.PodSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The driver emulator: mounts a SecretProviderClass through a provider's socket exactly as the
 * Secrets Store CSI driver would, without a cluster. Exit codes: 0 mounted, 1 the driver would fail
 * the mount (reason on stderr), 2 usage error.
 */
@Command(
    name = "mount",
    sortOptions = false,
    description = {
      "Mount a SecretProviderClass through a provider socket, as the Secrets Store CSI driver does.",
      "",
      "Builds the MountRequest as the driver does, applies the driver's checks to the response and writes the"
          + " files with its atomic-writer layout (..data -> ..<timestamp>, a top-level link to ..data/<name> per"
          + " name). The object versions of the last mount are kept in the target as ..versions.json, for driver"
          + " v1.5 rotation calls.",
      "",
      "Tokens, nodePublishSecretRef values and (without --show-contents) file contents are never printed."
          + " Exit codes: 0 mounted, 1 the driver would fail the mount (reason on stderr), 2 usage error.",
      ""
    })
final class MountCommand implements Callable<Integer> {
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
      names = "--spc",
      required = true,
      paramLabel = "FILE",
      description = "SecretProviderClass manifest (v1 or v1alpha1).")
  Path spcFile;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "DIR",
      description = "Directory to mount into; created if missing.")
  Path target;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      defaultValue = "default",
      description = "The pod's namespace; must match the SPC's (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--pod-name",
      paramLabel = "NAME",
      defaultValue = "mount-cli",
      description = "The pod's name (default: ${DEFAULT-VALUE}).")
  String podName;

  @Option(
      names = "--pod-uid",
      paramLabel = "UID",
      description = "The pod's UID (default: a random UUID).")
  String podUid;

  @Option(
      names = "--service-account",
      paramLabel = "NAME",
      defaultValue = "default",
      description = "The pod's service account (default: ${DEFAULT-VALUE}).")
  String serviceAccount;

  @Option(
      names = "--token",
      paramLabel = "AUDIENCE=FILE",
      description =
          "A service-account token (JWT) for an audience, as with CSIDriver tokenRequests; repeatable.")
  List<String> tokens = List.of();

  @Option(
      names = "--tokens-in-secrets",
      description =
          "Kubelet's serviceAccountTokenInSecrets mode: tokens travel in the secrets (and the driver copies them into the attributes).")
  boolean tokensInSecrets;

  @Option(
      names = "--node-publish-secret",
      paramLabel = "FILE",
      description = "Secret manifest of the volume's nodePublishSecretRef.")
  Path nodePublishSecret;

  @Option(
      names = "--volume-attribute",
      paramLabel = "KEY=VALUE",
      description = "A volumeAttributes entry of the pod's volume; repeatable.")
  Map<String, String> volumeAttributes = new LinkedHashMap<>();

  @Option(
      names = "--ephemeral",
      paramLabel = "BOOLEAN",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      arity = "0..1",
      description = "Inline (CSI ephemeral) volume (default: ${DEFAULT-VALUE}).")
  boolean ephemeral;

  @Option(
      names = "--driver-version",
      paramLabel = "VERSION",
      defaultValue = "v1.6",
      converter = DriverVersionConverter.class,
      description = "Driver release to emulate: v1.6 or v1.5 (default: ${DEFAULT-VALUE}).")
  DriverVersion driverVersion;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description = "Deadline of the Mount call, kubelet's (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--show-contents", description = "Print the files' contents.")
  boolean showContents;

  @Override
  public Integer call() {
    if (volumeAttributes.containsKey("")) {
      throw new ParameterException(
          spec.commandLine(), "--volume-attribute expects KEY=VALUE with a non-empty key");
    }
    PodSettings pod =
        new PodSettings(
            namespace,
            podName,
            podUid == null ? UUID.randomUUID().toString() : podUid,
            serviceAccount,
            ephemeral,
            volumeAttributes);
    MountSettings settings =
        new MountSettings(
            socket,
            spcFile,
            target,
            pod,
            tokenFiles(tokens, spec),
            tokensInSecrets,
            Optional.ofNullable(nodePublishSecret),
            driverVersion,
            timeout,
            showContents);
    return new DriverEmulator(Clock.systemUTC())
        .run(settings, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Parsed here rather than by picocli, whose message would echo the value, possibly a token. */
  static Map<String, Path> tokenFiles(List<String> tokens, CommandSpec spec) {
    Map<String, Path> files = new LinkedHashMap<>();
    for (String token : tokens) {
      int eq = token.indexOf('=');
      if (eq <= 0 || eq == token.length() - 1) {
        throw new ParameterException(
            spec.commandLine(),
            "--token expects AUDIENCE=FILE, with the path of a file holding the token");
      }
      files.put(token.substring(0, eq), Path.of(token.substring(eq + 1)));
    }
    return files;
  }

  /** Reads {@code --driver-version}. */
  static final class DriverVersionConverter implements ITypeConverter<DriverVersion> {
    @Override
    public DriverVersion convert(String value) {
      try {
        return DriverVersion.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
