// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.mount.ObjectVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Mounts a SecretProviderClass through a provider socket as the driver would: checks the SPC,
 * builds the request, calls the provider, judges the response and writes the files, then prints
 * what the pod would see. Results go to {@code out}; notes, warnings and the failure to {@code
 * err}. No token, nodePublishSecretRef value or (unless asked) file content is printed.
 */
public final class DriverEmulator {
  /** Exit code of a mount the driver would fail. */
  public static final int MOUNT_FAILED = 1;

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final Clock clock;

  /** An emulator using {@code clock} for token expiries and directory timestamps. */
  public DriverEmulator(Clock clock) {
    this.clock = clock;
  }

  /** Runs one mount; returns 0 on success, {@link #MOUNT_FAILED} when the driver would fail it. */
  public int run(MountSettings settings, PrintWriter out, PrintWriter err) {
    boolean remount = false;
    try {
      DriverRequestBuilder builder = prepare(settings, err);
      Path target = createTarget(settings.target());
      remount = CurrentMount.exists(target);
      DriverRequest request = request(builder, settings, target, remount, err);
      out.println("provider socket: " + settings.socket());
      out.println(
          "request: attributes "
              + request.attributes().keySet()
              + ", secrets "
              + (request.secrets() == null
                  ? "null"
                  : request.secrets().isEmpty() ? "{}" : request.secrets().keySet().toString())
              + ", current_object_version "
              + request.currentVersions().size()
              + (request.rotationCall() ? " (driver v1.5 rotation call)" : ""));
      CheckedResponse response = mountAndWrite(settings, target, request, out, err);
      out.println();
      MountTable.print(out, response);
      if (settings.showContents()) {
        MountTable.printContents(out, response);
      }
      return 0;
    } catch (DriverFailure e) {
      err.println("mount failed: " + e.getMessage());
      if (remount) {
        err.println(
            settings.driverVersion().hasRotationReconciler()
                ? "note: driver v1.5's rotation reconciler reports this as a MountRotationFailed event; the pod keeps its previous files"
                : "note: on a republish driver v1.6 masks this error (kubernetes/kubernetes#121271); the pod keeps its previous files");
      }
      return MOUNT_FAILED;
    } catch (IOException e) {
      err.println(
          "mount failed: "
              + e.getClass().getSimpleName()
              + ": "
              + Printable.of(String.valueOf(e.getMessage())));
      return MOUNT_FAILED;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The driver's checks before any call, and the request inputs read from their files. */
  private DriverRequestBuilder prepare(MountSettings settings, PrintWriter err) {
    SecretProviderClassFile spc = SecretProviderClassFile.read(settings.spcFile());
    spc.checkForPod(settings.pod().namespace());
    String expectedSocket = spc.provider() + ".sock";
    Path socketName = settings.socket().getFileName();
    if (socketName == null || !socketName.toString().equals(expectedSocket)) {
      err.println(
          "warning: spec.provider is \""
              + spc.provider()
              + "\" but the socket is "
              + socketName
              + ": in a cluster the driver sends this SecretProviderClass to "
              + expectedSocket
              + ", not to this provider");
    }
    DriverRequestBuilder builder = new DriverRequestBuilder(spc, settings.pod(), settings.target());
    if (!settings.tokenFiles().isEmpty()) {
      ServiceAccountTokenFiles tokens =
          ServiceAccountTokenFiles.read(settings.tokenFiles(), clock.instant());
      tokens.notes().forEach(note -> err.println("note: " + note));
      builder.tokens(tokens, settings.tokensInSecrets());
    } else if (settings.tokensInSecrets()) {
      err.println("note: --tokens-in-secrets has no effect without --token");
    }
    settings
        .nodePublishSecretFile()
        .map(NodePublishSecretFile::read)
        .ifPresent(builder::nodePublishSecret);
    return builder;
  }

  private static DriverRequest request(
      DriverRequestBuilder builder,
      MountSettings settings,
      Path target,
      boolean remount,
      PrintWriter err) {
    if (!remount) {
      return builder.publish();
    }
    if (!settings.driverVersion().hasRotationReconciler()) {
      err.println(
          "note: the target holds a mount; driver v1.6 republishes with the same request as a first mount");
      return builder.publish();
    }
    Optional<List<ObjectVersion>> versions = MountedVersions.read(target);
    if (versions.isEmpty()) {
      err.println(
          "note: no readable "
              + MountedVersions.FILE_NAME
              + " in the target; current_object_version is empty");
    }
    return builder.v15Rotation(versions.orElse(List.of()));
  }

  /**
   * The part of the mount the driver reports as {@code failed to mount secrets store objects ...}.
   */
  private CheckedResponse mountAndWrite(
      MountSettings settings, Path target, DriverRequest request, PrintWriter out, PrintWriter err)
      throws IOException {
    CheckedResponse response;
    try {
      checkSocket(settings.socket());
      try (ProviderClient client = ProviderClient.connect(settings.socket())) {
        MountReply reply =
            ProviderCall.mount(
                client, request, settings.timeout(), note -> err.println("note: " + note));
        response = DriverResponseCheck.check(reply);
      }
      response.warnings().forEach(warning -> err.println("warning: " + warning));
      out.println("result: " + write(target, response));
    } catch (DriverFailure e) {
      PodSettings pod = settings.pod();
      throw new DriverFailure(
          "failed to mount secrets store objects for pod "
              + pod.namespace()
              + "/"
              + pod.name()
              + ", err: "
              + e.getMessage());
    }
    MountedVersions.write(target, response.versions());
    return response;
  }

  private String write(Path target, CheckedResponse response) {
    if (response.providerWritesFiles()) {
      return "the provider returned no files (legacy mode: a provider that writes into target_path itself); the driver writes nothing";
    }
    try {
      AtomicWriter.Outcome outcome = new AtomicWriter(clock).write(target, response.files());
      return outcome == AtomicWriter.Outcome.UNCHANGED
          ? "unchanged; the files' bytes equal the current mount, so the driver rewrites nothing (not even changed modes)"
          : "wrote "
              + response.files().size()
              + " file(s) into "
              + target
              + " (..data -> "
              + readDataLink(target)
              + ")";
    } catch (IOException e) {
      throw new DriverFailure(
          "file write failed: "
              + e.getClass().getSimpleName()
              + ": "
              + Printable.of(String.valueOf(e.getMessage())));
    }
  }

  private static void checkSocket(Path socket) {
    boolean isSocket;
    try {
      int mode = (Integer) Files.getAttribute(socket, "unix:mode");
      isSocket = (mode & S_IFMT) == S_IFSOCK;
    } catch (IOException | UnsupportedOperationException e) {
      isSocket = false;
    }
    if (!isSocket) {
      // The driver waits for a missing provider until kubelet's deadline; failing at once says
      // more.
      throw new DriverFailure("provider not found: no socket at " + socket);
    }
  }

  private static Path createTarget(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    if (!Files.exists(absolute)) {
      // The driver creates a missing target path with MkdirAll(0750).
      Files.createDirectories(
          absolute,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
    } else if (!Files.isDirectory(absolute)) {
      throw new DriverFailure("--target " + absolute + " exists and is not a directory");
    }
    return absolute;
  }

  private static String readDataLink(Path target) throws IOException {
    return Files.readSymbolicLink(target.resolve(CurrentMount.DATA_DIR)).toString();
  }
}
