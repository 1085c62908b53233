// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.driver.DriverResponseCheck;
import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.mount.FilePaths;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Checks 10 to 12: what a successful response holds (paths, modes, size, the files sync reads). */
final class ResponseChecks {
  private static final byte DER_SEQUENCE = 0x30;

  private ResponseChecks() {}

  static List<CheckResult> run(MountReply reply, SecretProviderClassFile spc) {
    return List.of(paths(reply), size(reply), syncedFiles(reply, spc));
  }

  private static CheckResult paths(MountReply reply) {
    Findings findings = new Findings();
    for (MountReply.ReturnedFile file : reply.files()) {
      String shown = "\"" + Attempt.shown(file.path()) + "\"";
      FilePaths.driverViolation(file.path())
          .ifPresent(why -> findings.fail("path " + shown + ": " + why));
      if (FilePaths.driverViolation(file.path()).isEmpty()) {
        FilePaths.providerViolation(file.path())
            .ifPresent(why -> findings.fail("path " + shown + ": " + why));
      }
      findings.require(
          file.mode() >= 0 && file.mode() <= 0777,
          "path " + shown + " has mode " + file.mode() + ", outside 0..511");
    }
    long distinct = reply.files().stream().map(MountReply.ReturnedFile::path).distinct().count();
    findings.require(
        distinct == reply.files().size(), "a path is returned twice; the driver writes the last");
    FilePaths.firstClash(
            reply.files().stream().map(MountReply.ReturnedFile::path).collect(Collectors.toSet()))
        .ifPresent(
            clash ->
                findings.fail("path \"" + Attempt.shown(clash.path()) + "\" " + clash.reason()));
    findings.require(
        !reply.files().isEmpty(),
        "no files: legacy mode, the provider would have to write into target_path itself");
    return CheckResult.of(
        10,
        findings,
        reply.files().size()
            + " paths pass the driver's checks and the provider rules; modes within 0..511");
  }

  private static CheckResult size(MountReply reply) {
    Findings findings = new Findings();
    int bytes = reply.serializedBytes();
    findings.require(
        bytes <= ProviderClient.DRIVER_MAX_RECEIVE_BYTES,
        bytes + " bytes exceed the driver's 4 MiB receive limit");
    if (bytes > DriverResponseCheck.SYNC_LIMIT_BYTES) {
      findings.warn(bytes + " bytes: " + DriverResponseCheck.SIZE_WARNING);
    }
    return CheckResult.of(11, findings, bytes + " bytes");
  }

  private static CheckResult syncedFiles(MountReply reply, SecretProviderClassFile spc) {
    String title = "secretObjects name returned paths";
    if (spc.syncedKeys().isEmpty()) {
      return CheckResult.of(12, Outcome.SKIP, "the SecretProviderClass has no secretObjects");
    }
    Findings findings = new Findings();
    Map<String, byte[]> files =
        reply.files().stream()
            .collect(
                Collectors.toMap(
                    MountReply.ReturnedFile::path, MountReply.ReturnedFile::contents, (a, b) -> b));
    for (SecretProviderClassFile.SyncedKey key : spc.syncedKeys()) {
      byte[] contents = files.get(key.objectName());
      if (contents == null) {
        findings.fail("file matching objectName " + key.objectName() + " not found in the pod");
      } else if (key.secretType().equals("kubernetes.io/tls") && !isPemOrDer(contents)) {
        findings.fail(
            key.objectName() + " feeds a kubernetes.io/tls Secret but is neither PEM nor PFX");
      }
    }
    return CheckResult.of(
        12, findings, spc.syncedKeys().size() + " secretObjects entries find their files");
  }

  private static boolean isPemOrDer(byte[] contents) {
    Function<byte[], String> head =
        b -> new String(b, 0, Math.min(b.length, 4096), java.nio.charset.StandardCharsets.US_ASCII);
    return head.apply(contents).contains("-----BEGIN ")
        || (contents.length > 0 && contents[0] == DER_SEQUENCE);
  }
}
