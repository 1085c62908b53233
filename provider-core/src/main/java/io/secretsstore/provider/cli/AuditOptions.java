// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.audit.FingerprintIndex;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.audit.PayloadFingerprints;
import io.secretsstore.provider.audit.SwitchingAuditSink;
import io.secretsstore.provider.credentials.KeyFiles;
import io.secretsstore.provider.kube.ImmutableSecrets;
import io.secretsstore.provider.kube.SharedKubeClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The audit trail's flags: the node name and the fingerprint key ({@code --audit-log} is in the
 * settings table).
 */
final class AuditOptions {
  private static final Logger LOG = LoggerFactory.getLogger(AuditOptions.class);
  private static final Path POD_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @Option(
      names = "--node-name",
      defaultValue = "${env:NODE_NAME:-}",
      description = "The node's name for audit events (default: $NODE_NAME).")
  String nodeName;

  @Option(
      names = "--fingerprint-secret-name",
      paramLabel = "NAME",
      description =
          "Kubernetes Secret holding the cluster-wide payload fingerprint key (data key \"key\"); created if missing.")
  String secretName;

  @Option(
      names = "--fingerprint-secret-namespace",
      paramLabel = "NAMESPACE",
      description = "Namespace of that Secret (default: the provider's own namespace).")
  String secretNamespace;

  @Option(
      names = "--fingerprint-key-file",
      paramLabel = "FILE",
      description =
          "A file with the fingerprint key (at least 32 bytes, or base64 of them), instead of the Secret.")
  Path keyFile;

  /**
   * The sink of {@code --audit-log}'s destination; a configuration file may switch it to another
   * later.
   */
  SwitchingAuditSink sink(String destination) {
    try {
      return SwitchingAuditSink.open(destination);
    } catch (java.io.UncheckedIOException e) {
      throw new IllegalArgumentException(
          "--audit-log "
              + destination
              + ": cannot open it ("
              + Objects.requireNonNull(e.getCause()).getClass().getSimpleName()
              + "); give a writable file, - for stdout, or an empty value");
    }
  }

  /**
   * The auditor writing to {@code sink}. With audit off and no configuration file that could turn
   * it on there is none, and no fingerprint key is read; otherwise the key is read now, so that
   * turning audit on later cannot fail on it.
   *
   * @param destination the destination of {@code --audit-log}
   * @param reloadable whether a configuration file may change the destination
   * @param kube the process's Kubernetes client, for the key's Secret
   */
  MountAuditor auditor(
      SwitchingAuditSink sink,
      String destination,
      boolean reloadable,
      FingerprintIndex index,
      Clock clock,
      SharedKubeClient kube)
      throws IOException {
    if (destination.isEmpty() && !reloadable) {
      return MountAuditor.NONE;
    }
    return new MountAuditor(sink, new PayloadFingerprints(key(kube)), index, nodeName, clock);
  }

  private byte @Nullable [] key;

  /**
   * The cluster-wide fingerprint key (read once): audit fingerprints and the SecretSync hash are
   * both keyed from it, so every replica computes the same values.
   */
  synchronized byte[] key(SharedKubeClient kube) throws IOException {
    if (key == null) {
      key = readKey(kube);
    }
    return key.clone();
  }

  private static String podNamespace() {
    try {
      return Files.readString(POD_NAMESPACE).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--fingerprint-secret-name needs --fingerprint-secret-namespace outside a pod ("
              + POD_NAMESPACE
              + " cannot be read)");
    }
  }

  private byte[] readKey(SharedKubeClient kube) throws IOException {
    if (keyFile != null) {
      return KeyFiles.read(keyFile, "--fingerprint-key-file");
    }
    if (secretName != null) {
      String namespace = secretNamespace != null ? secretNamespace : podNamespace();
      return new ImmutableSecrets(kube.get())
          .getOrCreate(namespace, secretName, "key", PayloadFingerprints::newKey);
    }
    LOG.atWarn()
        .addKeyValue("flag", "--fingerprint-secret-name")
        .log(
            "no fingerprint key configured: using a key of this process only, so fingerprints match only within it");
    return PayloadFingerprints.newKey();
  }
}
