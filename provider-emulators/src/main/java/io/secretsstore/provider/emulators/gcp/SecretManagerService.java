// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.GetSecretVersionRequest;
import com.google.cloud.secretmanager.v1.ListSecretVersionsRequest;
import com.google.cloud.secretmanager.v1.ListSecretVersionsResponse;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.cloud.secretmanager.v1.ServiceProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.secretsstore.provider.emulators.CallCounter;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultDecision;
import io.secretsstore.provider.emulators.FaultPlan;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Secret Manager v1's {@code AccessSecretVersion}, {@code GetSecretVersion} and {@code
 * ListSecretVersions} as a gRPC service. The stub artifact is not served at the client's version,
 * so the service definition is built from the descriptors of the proto artifact the client uses:
 * the method names come from {@code service.proto} itself, so they cannot drift from the client's.
 *
 * <p>Each call is counted as {@code gcp.secretmanager.<Method>}, then suffers the {@link FaultPlan}
 * (resource: the name in the request), then must carry {@code authorization: Bearer <token>} with a
 * token the emulator issued.
 */
final class SecretManagerService {
  static final String ACCESS = "gcp.secretmanager.AccessSecretVersion";
  static final String GET = "gcp.secretmanager.GetSecretVersion";
  static final String LIST = "gcp.secretmanager.ListSecretVersions";

  private static final Descriptors.ServiceDescriptor SERVICE =
      ServiceProto.getDescriptor().findServiceByName("SecretManagerService");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> BEARER = Context.key("bearer");

  private final SecretStore store;
  private final AccessTokens tokens;
  private final FaultPlan faults;
  private final CallCounter calls;

  SecretManagerService(
      SecretStore store, AccessTokens tokens, FaultPlan faults, CallCounter calls) {
    this.store = store;
    this.tokens = tokens;
    this.faults = faults;
    this.calls = calls;
  }

  ServerServiceDefinition definition() {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(SERVICE.getFullName())
            .addMethod(
                method(
                    "AccessSecretVersion",
                    AccessSecretVersionRequest.getDefaultInstance(),
                    AccessSecretVersionResponse.getDefaultInstance()),
                unary(ACCESS, AccessSecretVersionRequest::getName, this::access))
            .addMethod(
                method(
                    "GetSecretVersion",
                    GetSecretVersionRequest.getDefaultInstance(),
                    SecretVersion.getDefaultInstance()),
                unary(
                    GET,
                    GetSecretVersionRequest::getName,
                    (member, request) -> store.find(request.getName(), member).metadata()))
            .addMethod(
                method(
                    "ListSecretVersions",
                    ListSecretVersionsRequest.getDefaultInstance(),
                    ListSecretVersionsResponse.getDefaultInstance()),
                unary(LIST, ListSecretVersionsRequest::getParent, this::list))
            .build();
    return ServerInterceptors.intercept(service, new BearerCapture());
  }

  private AccessSecretVersionResponse access(String member, AccessSecretVersionRequest request) {
    SecretStore.Found found = store.access(request.getName(), member);
    CRC32C crc = new CRC32C();
    crc.update(found.version().payload);
    return AccessSecretVersionResponse.newBuilder()
        .setName(found.name())
        .setPayload(
            SecretPayload.newBuilder().setData(found.payload()).setDataCrc32C(crc.getValue()))
        .build();
  }

  private ListSecretVersionsResponse list(String member, ListSecretVersionsRequest request) {
    ListSecretVersionsResponse.Builder response = ListSecretVersionsResponse.newBuilder();
    for (SecretStore.Found found : store.list(request.getParent(), member)) {
      response.addVersions(found.metadata());
    }
    return response.setTotalSize(response.getVersionsCount()).build();
  }

  static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(
      String name, Q request, R response) {
    Descriptors.MethodDescriptor descriptor = SERVICE.findMethodByName(name);
    if (descriptor == null || !descriptor.getInputType().equals(request.getDescriptorForType())) {
      throw new IllegalStateException(
          "Secret Manager v1 has no method "
              + name
              + " taking "
              + request.getDescriptorForType().getName());
    }
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(
            MethodDescriptor.generateFullMethodName(SERVICE.getFullName(), descriptor.getName()))
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(ProtoUtils.marshaller(response))
        .build();
  }

  private <Q, R> ServerCallHandler<Q, R> unary(
      String operation, Function<Q, String> resource, BiFunction<String, Q, R> handler) {
    return ServerCalls.asyncUnaryCall(
        (request, observer) -> {
          long arrived = System.nanoTime();
          calls.record(operation);
          FaultDecision decision = faults.next(operation, resource.apply(request));
          try {
            Thread.sleep(decision.delay().toMillis());
            Fault replacement = decision.replacement().orElse(null);
            if (replacement instanceof Fault.Hang) {
              return; // Never answered: the client's deadline ends the call.
            }
            if (replacement != null) {
              decision.awaitResponseTime(arrived);
              observer.onError(injected(replacement));
              return;
            }
            R answer;
            try {
              answer = handler.apply(member(), request);
            } catch (StatusRuntimeException e) {
              decision.awaitResponseTime(arrived);
              observer.onError(e);
              return;
            }
            decision.awaitResponseTime(arrived);
            observer.onNext(answer);
            observer.onCompleted();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            observer.onError(Status.CANCELLED.asRuntimeException());
          }
        });
  }

  /** The member of the call's bearer token, or UNAUTHENTICATED as Google answers. */
  private String member() {
    String header = BEARER.get();
    if (header == null || !header.startsWith("Bearer ")) {
      throw Status.UNAUTHENTICATED
          .withDescription(
              "Request is missing required authentication credential. "
                  + "Expected OAuth 2 access token, login cookie or other valid authentication credential.")
          .asRuntimeException();
    }
    return tokens
        .member(header.substring("Bearer ".length()))
        .orElseThrow(
            () ->
                Status.UNAUTHENTICATED
                    .withDescription(
                        "Request had invalid authentication credentials. "
                            + "Expected OAuth 2 access token, login cookie or other valid authentication credential.")
                    .asRuntimeException());
  }

  /** An injected HTTP-style fault as the gRPC status Google would send for it. */
  static StatusRuntimeException injected(Fault fault) {
    if (!(fault instanceof Fault.ErrorResponse error)) {
      return Status.UNAVAILABLE
          .withDescription("Connection reset by peer (injected)")
          .asRuntimeException();
    }
    Status status =
        switch (error.status()) {
          case 400 -> Status.INVALID_ARGUMENT;
          case 401 -> Status.UNAUTHENTICATED;
          case 403 -> Status.PERMISSION_DENIED;
          case 404 -> Status.NOT_FOUND;
          case 409 -> Status.ABORTED;
          case 429 -> Status.RESOURCE_EXHAUSTED;
          case 501 -> Status.UNIMPLEMENTED;
          case 503 -> Status.UNAVAILABLE;
          case 504 -> Status.DEADLINE_EXCEEDED;
          default -> error.status() >= 500 ? Status.INTERNAL : Status.UNKNOWN;
        };
    String message =
        error.status() == 429
            ? "Quota exceeded for quota metric 'Access requests' (injected)"
            : "injected HTTP " + error.status();
    return status.withDescription(message).asRuntimeException();
  }

  /** Puts the call's authorization header where the handler reads it. */
  private static final class BearerCapture implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return Contexts.interceptCall(
          Context.current().withValue(BEARER, headers.get(AUTHORIZATION)), call, headers, next);
    }
  }
}
