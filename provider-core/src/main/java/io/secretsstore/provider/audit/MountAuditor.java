// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import io.secretsstore.provider.fetch.MountResult;
import io.secretsstore.provider.fetch.ServedObject;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.mount.PodIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Turns finished mounts into audit events: one per object served (with its version, source and
 * payload fingerprint), or one for a mount that failed.
 */
public final class MountAuditor implements AutoCloseable {
  /** Records nothing. */
  public static final MountAuditor NONE =
      new MountAuditor(AuditSink.NONE, null, null, "", Clock.systemUTC());

  private final AuditSink sink;
  private final @Nullable PayloadFingerprints fingerprints;
  private final @Nullable FingerprintIndex index;
  private final String node;
  private final Clock clock;

  /**
   * @param fingerprints keys the payload fingerprints, or null for none
   * @param index tracks reuse of fingerprints, or null
   * @param node the node name, empty if unknown
   */
  public MountAuditor(
      AuditSink sink,
      @Nullable PayloadFingerprints fingerprints,
      @Nullable FingerprintIndex index,
      String node,
      Clock clock) {
    this.sink = sink;
    this.fingerprints = fingerprints;
    this.index = index;
    this.node = node;
    this.clock = clock;
  }

  /** Who asked, as far as the request said. */
  public record Requester(PodIdentity pod, String secretProviderClass) {}

  /** Records every object of a successful mount. */
  public void succeeded(
      String backend, Requester requester, MountResult result, Duration duration) {
    recordObjects("mount", backend, requester, "", result, duration);
  }

  /**
   * Records every object a SecretSync wrote into its Secret: the SecretSync's namespace and service
   * account stand where a pod's would, and {@code secret} names the Secret.
   */
  public void synced(
      String backend,
      String namespace,
      String serviceAccount,
      String secretProviderClass,
      String secret,
      MountResult result,
      Duration duration) {
    Requester requester =
        new Requester(new PodIdentity(namespace, "", "", serviceAccount), secretProviderClass);
    recordObjects("sync", backend, requester, secret, result, duration);
  }

  private void recordObjects(
      String action,
      String backend,
      Requester requester,
      String secret,
      MountResult result,
      Duration duration) {
    for (ServedObject served : result.objects()) {
      String fingerprint = fingerprints == null ? "" : fingerprints.of(served.object());
      if (index != null && !fingerprint.isEmpty()) {
        index.record(fingerprint, backend + "/" + requester.pod().namespace() + "/" + served.id());
      }
      String versions =
          served.object().versions().stream()
              .map(ObjectVersion::version)
              .collect(Collectors.joining(","));
      sink.record(
          event(
              action,
              backend,
              requester,
              served.id(),
              versions,
              served.source().name().toLowerCase(Locale.ROOT),
              fingerprint,
              "OK",
              duration,
              secret));
    }
  }

  /** Records a failed mount; the requester may be unknown when the request itself was malformed. */
  public void failed(
      String backend, @Nullable Requester requester, String code, Duration duration) {
    sink.record(event("mount", backend, requester, "", "", "", "", code, duration, ""));
  }

  /** Closes the sink. */
  @Override
  public void close() {
    sink.close();
  }

  private AuditEvent event(
      String action,
      String backend,
      @Nullable Requester requester,
      String objectId,
      String version,
      String source,
      String fingerprint,
      String outcome,
      Duration duration,
      String secret) {
    PodIdentity pod = requester == null ? null : requester.pod();
    return new AuditEvent(
        clock.instant().toString(),
        UUID.randomUUID().toString(),
        "event",
        "access",
        action,
        node,
        pod == null ? "" : pod.namespace(),
        pod == null ? "" : pod.name(),
        pod == null ? "" : pod.uid(),
        pod == null ? "" : pod.serviceAccountName(),
        requester == null ? "" : requester.secretProviderClass(),
        backend,
        objectId,
        version,
        source,
        fingerprint,
        outcome,
        duration.toMillis(),
        secret);
  }
}
