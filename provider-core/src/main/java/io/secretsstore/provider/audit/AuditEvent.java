// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import java.util.Objects;

/**
 * One access to one secret object, or one refused mount, for a SIEM. Field names are stable and
 * documented in {@code docs/audit.md}. It holds names, ids, versions and a keyed fingerprint of the
 * content, never content, tokens or attributes.
 *
 * @param time when the mount finished, RFC 3339 in UTC
 * @param eventId a random UUID, unique per event, so a shipper can drop duplicates
 * @param eventKind always {@code event} (ECS {@code event.kind})
 * @param eventType always {@code access} (ECS {@code event.type}): a secret was read for someone
 * @param action {@code mount}, or {@code sync} for a SecretSync write
 * @param node the node the provider runs on, empty if unknown
 * @param namespace the pod's namespace
 * @param pod the pod's name, empty for a sync
 * @param podUid the pod's UID from kubelet's attributes, empty for a sync or a malformed request
 * @param serviceAccount the pod's service account
 * @param secretProviderClass the SecretProviderClass name where the driver sends it, else empty
 * @param backend the backend name
 * @param objectId the object id, empty for a mount refused before its objects were known
 * @param objectVersion the object's version(s), comma-separated
 * @param source {@code cache} or {@code backend}, empty on failure
 * @param fingerprint the keyed HMAC of the content, empty on failure
 * @param outcome the gRPC code name, {@code OK} on success
 * @param durationMs the mount's duration
 * @param secret the Kubernetes Secret a sync wrote (in {@code namespace}), empty for mounts
 */
public record AuditEvent(
    String time,
    String eventId,
    String eventKind,
    String eventType,
    String action,
    String node,
    String namespace,
    String pod,
    String podUid,
    String serviceAccount,
    String secretProviderClass,
    String backend,
    String objectId,
    String objectVersion,
    String source,
    String fingerprint,
    String outcome,
    long durationMs,
    String secret) {
  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
  }
}
