// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.fetch.MountResult;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.metrics.MountObserver;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.proto.v1alpha1.CSIDriverProviderGrpc;
import io.secretsstore.provider.proto.v1alpha1.File;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import io.secretsstore.provider.proto.v1alpha1.MountResponse;
import io.secretsstore.provider.proto.v1alpha1.ObjectVersion;
import io.secretsstore.provider.proto.v1alpha1.VersionRequest;
import io.secretsstore.provider.proto.v1alpha1.VersionResponse;
import io.secretsstore.provider.spi.FetchedFile;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's {@code v1alpha1.CSIDriverProvider} service. Thin on purpose: parse, call the mount
 * engine, map errors. Nothing from the request is logged but the pod's names.
 */
public final class CsiDriverProviderService
    extends CSIDriverProviderGrpc.CSIDriverProviderImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(CsiDriverProviderService.class);
  private static final String API_VERSION = "v1alpha1";

  private final MountEngine engine;
  private final String runtimeName;
  private final String runtimeVersion;
  private final MountRecorder recorder;
  private final InFlightBytes inFlight;

  /**
   * Heap one request byte may become while its mount is in progress (parsed parameters, YAML,
   * plan).
   */
  static final int WORK_EXPANSION = 4;

  public CsiDriverProviderService(
      MountEngine engine,
      String runtimeName,
      String runtimeVersion,
      MountObserver observer,
      MountAuditor auditor) {
    this(engine, runtimeName, runtimeVersion, observer, auditor, InFlightBytes.forHeap());
  }

  /** A service whose requests are admitted against {@code inFlight}. */
  public CsiDriverProviderService(
      MountEngine engine,
      String runtimeName,
      String runtimeVersion,
      MountObserver observer,
      MountAuditor auditor,
      InFlightBytes inFlight) {
    this.engine = engine;
    this.runtimeName = runtimeName;
    this.runtimeVersion = runtimeVersion;
    this.recorder = new MountRecorder(engine.backend().name(), observer, auditor);
    this.inFlight = inFlight;
  }

  /**
   * The service with Mount's requests parsed by an {@link AdmittingMarshaller}, so that a request
   * the in-flight budget cannot hold is refused before it is parsed; what the server binds.
   */
  public ServerServiceDefinition admittingDefinition() {
    ServerServiceDefinition generated = bindService();
    ServerServiceDefinition.Builder admitted =
        ServerServiceDefinition.builder(generated.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
      if (method
          .getMethodDescriptor()
          .getFullMethodName()
          .equals(CSIDriverProviderGrpc.getMountMethod().getFullMethodName())) {
        admitted.addMethod(admittedMount(method));
      } else {
        admitted.addMethod(method);
      }
    }
    return admitted.build();
  }

  @SuppressWarnings("unchecked") // The generated definition of Mount has exactly these types.
  private ServerMethodDefinition<MountRequest, MountResponse> admittedMount(
      ServerMethodDefinition<?, ?> method) {
    ServerMethodDefinition<MountRequest, MountResponse> mount =
        (ServerMethodDefinition<MountRequest, MountResponse>) method;
    MethodDescriptor<MountRequest, MountResponse> descriptor = mount.getMethodDescriptor();
    return ServerMethodDefinition.create(
        descriptor.toBuilder(
                new AdmittingMarshaller(descriptor.getRequestMarshaller(), inFlight),
                descriptor.getResponseMarshaller())
            .build(),
        mount.getServerCallHandler());
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

  /**
   * Answers a Mount without holding the calling thread while objects are fetched: the thread parses
   * and plans, the answer is sent when the engine's result arrives.
   */
  @Override
  public void mount(MountRequest request, StreamObserver<MountResponse> response) {
    long start = System.nanoTime();
    if (request == AdmittingMarshaller.REFUSED) {
      finish(null, null, admissionRefused(), start, null, response);
      return;
    }
    InFlightBytes.Reservation reservation = null;
    MountAuditor.Requester requester = null;
    try {
      // What the request expands into (parameters, YAML, plan) until the answer is sent.
      reservation = inFlight.reserve((long) request.getSerializedSize() * WORK_EXPANSION);
      MountRequestContext context =
          MountRequestContext.parse(
              request.getAttributes(),
              request.getSecrets(),
              request.getTargetPath(),
              request.getPermission(),
              request.getCurrentObjectVersionList().stream()
                  .map(
                      v ->
                          new io.secretsstore.provider.mount.ObjectVersion(
                              v.getId(), v.getVersion()))
                  .toList());
      requester =
          new MountAuditor.Requester(
              context.pod(), context.attribute("secretProviderClass").orElse(""));
      MountAuditor.Requester who = requester;
      InFlightBytes.Reservation held = reservation;
      engine
          .mountAsync(context, remainingBudget())
          .whenComplete((result, failure) -> finish(who, result, failure, start, held, response));
    } catch (RuntimeException e) {
      finish(requester, null, e, start, reservation, response);
    }
  }

  private static ProviderException admissionRefused() {
    return ProviderException.of(
        ErrorKind.RESOURCE_EXHAUSTED,
        "the provider is at its limit of request bytes in flight across all mounts; the mount will be retried");
  }

  /** Records the mount, answers the caller, and frees the request's bytes. */
  private void finish(
      MountAuditor.@Nullable Requester requester,
      @Nullable MountResult result,
      @Nullable Throwable failure,
      long start,
      InFlightBytes.@Nullable Reservation reservation,
      StreamObserver<MountResponse> response) {
    InFlightBytes.Reservation answer = null;
    try {
      if (result != null && failure == null) {
        try {
          // The response's private copies of the files, until the transport has them.
          answer = inFlight.reserve(result.files().stream().mapToLong(FetchedFile::size).sum());
        } catch (ProviderException refused) {
          result = null;
          failure = refused;
        }
      }
      Status status = Status.OK;
      if (failure != null) {
        Throwable cause =
            failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        status = StatusMapper.toStatus(cause);
        if (!(cause instanceof ProviderException)) {
          LOG.atError()
              .addKeyValue("exception", SafeThrowables.describe(cause))
              .log("mount failed with a bug");
        }
      }
      // Recorded before answering, so no audit event or metric is lost if the caller hangs up.
      recorder.record(requester, result, status, Duration.ofNanos(System.nanoTime() - start));
      if (result != null && failure == null) {
        response.onNext(toProto(result));
        response.onCompleted();
      } else {
        response.onError(status.asRuntimeException());
      }
    } catch (RuntimeException e) {
      // The caller went away (the call was cancelled): nothing to answer.
      LOG.atDebug()
          .addKeyValue("exception", SafeThrowables.describe(e))
          .log("could not answer a mount");
    } finally {
      if (answer != null) {
        answer.close();
      }
      if (reservation != null) {
        reservation.close();
      }
    }
  }

  private static @Nullable Duration remainingBudget() {
    Deadline deadline = Context.current().getDeadline();
    return deadline == null
        ? null
        : Duration.ofNanos(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)));
  }

  private static MountResponse toProto(MountResult result) {
    MountResponse.Builder builder = MountResponse.newBuilder();
    for (io.secretsstore.provider.mount.ObjectVersion version : result.versions()) {
      builder.addObjectVersion(
          ObjectVersion.newBuilder().setId(version.id()).setVersion(version.version()));
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
