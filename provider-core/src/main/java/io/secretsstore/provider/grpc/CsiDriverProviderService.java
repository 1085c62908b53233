// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.fetch.MountResult;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.metrics.MountObserver;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.proto.v1alpha1.CSIDriverProviderGrpc;
import io.secretsstore.provider.proto.v1alpha1.File;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import io.secretsstore.provider.proto.v1alpha1.MountResponse;
import io.secretsstore.provider.proto.v1alpha1.ObjectVersion;
import io.secretsstore.provider.proto.v1alpha1.VersionRequest;
import io.secretsstore.provider.proto.v1alpha1.VersionResponse;
import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.spi.ProviderException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's {@code v1alpha1.CSIDriverProvider} service. Thin on purpose: parse, call the mount
 * engine, map errors. Nothing from the request is logged but the pod's names.
 */
public final class CsiDriverProviderService extends CSIDriverProviderGrpc.CSIDriverProviderImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(CsiDriverProviderService.class);
  private static final String API_VERSION = "v1alpha1";

  private final MountEngine engine;
  private final String runtimeName;
  private final String runtimeVersion;
  private final MountRecorder recorder;

  public CsiDriverProviderService(
      MountEngine engine, String runtimeName, String runtimeVersion, MountObserver observer, MountAuditor auditor) {
    this.engine = engine;
    this.runtimeName = runtimeName;
    this.runtimeVersion = runtimeVersion;
    this.recorder = new MountRecorder(engine.backend().name(), observer, auditor);
  }

  @Override
  public void version(VersionRequest request, StreamObserver<VersionResponse> response) {
    response.onNext(
        VersionResponse.newBuilder()
            .setVersion(API_VERSION)
            .setRuntimeName(runtimeName)
            .setRuntimeVersion(runtimeVersion)
            .build());
    response.onCompleted();
  }

  @Override
  public void mount(MountRequest request, StreamObserver<MountResponse> response) {
    long start = System.nanoTime();
    MountAuditor.Requester requester = null;
    MountResult result = null;
    Status status;
    CancellationInterrupter interrupter = CancellationInterrupter.forCurrentCall();
    try {
      MountRequestContext context =
          MountRequestContext.parse(
              request.getAttributes(),
              request.getSecrets(),
              request.getTargetPath(),
              request.getPermission(),
              request.getCurrentObjectVersionList().stream()
                  .map(v -> new io.secretsstore.provider.spi.ObjectVersion(v.getId(), v.getVersion()))
                  .toList());
      requester = new MountAuditor.Requester(context.pod(), context.attribute("secretProviderClass").orElse(""));
      result = engine.mount(context, remainingBudget());
      status = Status.OK;
    } catch (RuntimeException e) {
      status = StatusMapper.toStatus(e);
      if (!(e instanceof ProviderException)) {
        LOG.atError().addKeyValue("exception", SafeThrowables.describe(e)).log("mount failed with a bug");
      }
    } finally {
      interrupter.close();
    }
    // Recorded before answering, so no audit event or metric is lost if the caller hangs up.
    recorder.record(requester, result, status, Duration.ofNanos(System.nanoTime() - start));
    if (result != null) {
      response.onNext(toProto(result));
      response.onCompleted();
    } else {
      response.onError(status.asRuntimeException());
    }
  }

  private static Duration remainingBudget() {
    Deadline deadline = Context.current().getDeadline();
    return deadline == null ? null : Duration.ofNanos(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)));
  }

  private static MountResponse toProto(MountResult result) {
    MountResponse.Builder builder = MountResponse.newBuilder();
    for (io.secretsstore.provider.spi.ObjectVersion version : result.versions()) {
      builder.addObjectVersion(ObjectVersion.newBuilder().setId(version.id()).setVersion(version.version()));
    }
    for (FetchedFile file : result.files()) {
      builder.addFiles(
          File.newBuilder()
              .setPath(file.path())
              .setMode(file.mode().bits())
              // contents() already returns a private copy; wrap it instead of copying again.
              .setContents(UnsafeByteOperations.unsafeWrap(file.contents())));
    }
    return builder.build();
  }
}
