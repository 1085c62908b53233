// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.grpc.Status;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.fetch.MountResult;
import io.secretsstore.provider.fetch.ServedObject;
import io.secretsstore.provider.metrics.MountObserver;
import io.secretsstore.provider.mount.PodIdentity;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything recorded about a finished Mount: the metric, the audit events and one log line with
 * the pod, backend, object count, cache hits, code and duration. Nothing from the request's
 * attributes, secrets or files.
 */
final class MountRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(CsiDriverProviderService.class);

  private final String backend;
  private final MountObserver observer;
  private final MountAuditor auditor;

  MountRecorder(String backend, MountObserver observer, MountAuditor auditor) {
    this.backend = backend;
    this.observer = observer;
    this.auditor = auditor;
  }

  /**
   * @param requester the pod, or null when the request could not be parsed
   * @param result the result, or null when the mount failed
   */
  void record(
      MountAuditor.@Nullable Requester requester,
      @Nullable MountResult result,
      Status status,
      Duration took) {
    observer.mountFinished(backend, status.getCode().name(), took);
    if (result != null) {
      // A result means the request was parsed, so its requester is known.
      auditor.succeeded(backend, Objects.requireNonNull(requester, "requester"), result, took);
    } else {
      auditor.failed(backend, requester, status.getCode().name(), took);
    }
    var line = LOG.atLevel(status.isOk() ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.WARN);
    if (requester != null) {
      for (Map.Entry<String, String> field : podFields(requester.pod()).entrySet()) {
        line = line.addKeyValue(field.getKey(), field.getValue());
      }
    }
    line =
        line.addKeyValue("backend", backend)
            .addKeyValue("objects", result == null ? 0 : result.objects().size())
            .addKeyValue(
                "cacheHits",
                result == null
                    ? 0
                    : result.objects().stream()
                        .filter(o -> o.source() == ServedObject.Source.CACHE)
                        .count())
            .addKeyValue("files", result == null ? 0 : result.files().size())
            .addKeyValue("code", status.getCode().name())
            .addKeyValue("durationMs", took.toMillis());
    if (!status.isOk()) {
      line = line.addKeyValue("error", status.getDescription());
    }
    line.log("mount");
  }

  private static Map<String, String> podFields(PodIdentity pod) {
    return Map.of(
        "namespace",
        pod.namespace(),
        "pod",
        pod.name(),
        "serviceAccount",
        pod.serviceAccountName());
  }
}
