// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.secretsstore.provider.grpc.ProviderServer;
import io.secretsstore.provider.proto.v1alpha1.CSIDriverProviderGrpc;
import io.secretsstore.provider.proto.v1alpha1.File;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import io.secretsstore.provider.proto.v1alpha1.MountResponse;
import io.secretsstore.provider.proto.v1alpha1.ObjectVersion;
import io.secretsstore.provider.proto.v1alpha1.VersionRequest;
import io.secretsstore.provider.proto.v1alpha1.VersionResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * A provider in the manner of the driver's e2e provider: its {@code objects} parameter is a
 * comma-separated list of names, each mounted as a file holding {@code value-of-<name>}, with the
 * request's permission as mode and version {@code v1}. With a {@link Misbehaviour} it breaks one
 * rule of the contract, so the conformance checks can be shown to catch it. Served by the real
 * {@link ProviderServer} on a real Unix socket.
 */
final class MisbehavingProvider extends CSIDriverProviderGrpc.CSIDriverProviderImplBase
    implements AutoCloseable {
  /** The one rule a provider breaks. */
  enum Misbehaviour {
    NONE,
    WIDE_SOCKET_MODE,
    NOT_SEMVER,
    STRICT_ATTRIBUTES,
    REJECTS_EMPTY_SECRETS,
    IGNORES_PERMISSION,
    NEEDS_EMPTY_CURRENT_VERSIONS,
    NO_OBJECT_VERSIONS,
    UNSTABLE_VERSIONS,
    PATH_ESCAPES,
    OVER_ONE_MIB,
    ECHOES_INPUT,
    UNAVAILABLE_FOR_BAD_INPUT
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KNOWN =
      Set.of(
          "objects",
          "csi.storage.k8s.io/pod.name",
          "csi.storage.k8s.io/pod.namespace",
          "csi.storage.k8s.io/pod.uid",
          "csi.storage.k8s.io/serviceAccount.name",
          "csi.storage.k8s.io/serviceAccount.tokens");
  private final Misbehaviour misbehaviour;
  private final Path dir;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final ProviderServer server;

  MisbehavingProvider(Misbehaviour misbehaviour) throws IOException {
    this.misbehaviour = misbehaviour;
    dir = Files.createTempDirectory(Path.of("/tmp"), "conf");
    server =
        ProviderServer.start(
            dir.resolve("e2e-provider.sock"),
            List.<BindableService>of(this),
            executor,
            Duration.ofSeconds(1),
            Duration.ZERO);
    if (misbehaviour == Misbehaviour.WIDE_SOCKET_MODE) {
      Files.setPosixFilePermissions(server.socket(), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  Path socket() {
    return server.socket();
  }

  @Override
  public void version(VersionRequest request, StreamObserver<VersionResponse> observer) {
    String version = misbehaviour == Misbehaviour.NOT_SEMVER ? "latest" : "0.0.10";
    observer.onNext(
        VersionResponse.newBuilder()
            .setVersion("v1alpha1")
            .setRuntimeName("e2e-provider")
            .setRuntimeVersion(version)
            .build());
    observer.onCompleted();
  }

  @Override
  public void mount(MountRequest request, StreamObserver<MountResponse> observer) {
    Map<String, String> attributes;
    int mode;
    try {
      attributes =
          JSON.readValue(request.getAttributes(), new TypeReference<Map<String, String>>() {});
      mode = Integer.parseInt(request.getPermission());
    } catch (JacksonException | NumberFormatException e) {
      Status status =
          misbehaviour == Misbehaviour.UNAVAILABLE_FOR_BAD_INPUT
              ? Status.UNAVAILABLE
              : Status.INVALID_ARGUMENT;
      String message =
          misbehaviour == Misbehaviour.ECHOES_INPUT
              ? "bad request: " + request.getAttributes() + " " + request.getSecrets()
              : "attributes must be a JSON object of strings and permission a decimal number";
      observer.onError(status.withDescription(message).asRuntimeException());
      return;
    }
    String refusal = refusal(request, attributes);
    if (refusal != null) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription(refusal).asRuntimeException());
      return;
    }
    MountResponse.Builder response = MountResponse.newBuilder();
    for (String name : attributes.getOrDefault("objects", "").split(",")) {
      String path = misbehaviour == Misbehaviour.PATH_ESCAPES ? "../" + name : name;
      byte[] contents =
          misbehaviour == Misbehaviour.OVER_ONE_MIB
              ? new byte[600 * 1024]
              : ("value-of-" + name).getBytes(StandardCharsets.UTF_8);
      int fileMode = misbehaviour == Misbehaviour.IGNORES_PERMISSION ? 0 : mode;
      response.addFiles(
          File.newBuilder()
              .setPath(path)
              .setMode(fileMode)
              .setContents(ByteString.copyFrom(contents)));
      if (misbehaviour != Misbehaviour.NO_OBJECT_VERSIONS) {
        String version =
            misbehaviour == Misbehaviour.UNSTABLE_VERSIONS ? UUID.randomUUID().toString() : "v1";
        response.addObjectVersion(
            ObjectVersion.newBuilder().setId("secret/" + name).setVersion(version));
      }
    }
    observer.onNext(response.build());
    observer.onCompleted();
  }

  private String refusal(MountRequest request, Map<String, String> attributes) {
    if (misbehaviour == Misbehaviour.STRICT_ATTRIBUTES && !KNOWN.containsAll(attributes.keySet())) {
      return "unknown attribute";
    }
    if (misbehaviour == Misbehaviour.REJECTS_EMPTY_SECRETS && request.getSecrets().equals("{}")) {
      return "secrets must be null";
    }
    if (misbehaviour == Misbehaviour.NEEDS_EMPTY_CURRENT_VERSIONS
        && request.getCurrentObjectVersionCount() > 0) {
      return "current_object_version is not supported";
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    executor.shutdownNow();
    Files.deleteIfExists(dir);
  }
}
