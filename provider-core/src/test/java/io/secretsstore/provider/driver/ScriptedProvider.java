// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.secretsstore.provider.grpc.ProviderServer;
import io.secretsstore.provider.proto.v1alpha1.CSIDriverProviderGrpc;
import io.secretsstore.provider.proto.v1alpha1.Error;
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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A provider that answers Mount with scripted responses or statuses, served by the real {@link
 * ProviderServer} on a real Unix socket, and records every request it got. The last scripted answer
 * repeats once the script is used up.
 */
final class ScriptedProvider extends CSIDriverProviderGrpc.CSIDriverProviderImplBase
    implements AutoCloseable {
  private final Deque<Object> script = new ArrayDeque<>();
  private final List<MountRequest> requests = new ArrayList<>();
  private final Path socketDir;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final ProviderServer server;

  private ScriptedProvider() throws IOException {
    // Unix socket paths are limited to 107 bytes: keep the directory short.
    socketDir = Files.createTempDirectory(Path.of("/tmp"), "drv");
    server =
        ProviderServer.start(
            socketDir.resolve("scripted.sock"),
            List.<BindableService>of(this),
            executor,
            Duration.ofSeconds(1),
            Duration.ZERO);
  }

  /** Starts a provider on a fresh socket. */
  static ScriptedProvider start() throws IOException {
    return new ScriptedProvider();
  }

  Path socket() {
    return server.socket();
  }

  /** The next answers: {@link MountResponse}s or {@link Status}es. */
  synchronized ScriptedProvider answer(Object... answers) {
    script.clear();
    script.addAll(List.of(answers));
    return this;
  }

  synchronized List<MountRequest> requests() {
    return List.copyOf(requests);
  }

  synchronized MountRequest lastRequest() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public void version(VersionRequest request, StreamObserver<VersionResponse> observer) {
    observer.onNext(
        VersionResponse.newBuilder()
            .setVersion("v1alpha1")
            .setRuntimeName("scripted")
            .setRuntimeVersion("0.0.1")
            .build());
    observer.onCompleted();
  }

  @Override
  public void mount(MountRequest request, StreamObserver<MountResponse> observer) {
    Object answer;
    synchronized (this) {
      requests.add(request);
      answer = script.size() > 1 ? script.poll() : script.peek();
    }
    if (answer instanceof MountResponse response) {
      observer.onNext(response);
      observer.onCompleted();
    } else if (answer instanceof Status status) {
      observer.onError(status.asRuntimeException());
    } else {
      observer.onError(Status.INTERNAL.withDescription("nothing scripted").asRuntimeException());
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    executor.shutdownNow();
    AtomicWriter.deleteTree(socketDir);
  }

  // Response builders.

  static File file(String path, int mode, String contents) {
    return file(path, mode, contents.getBytes(StandardCharsets.UTF_8));
  }

  static File file(String path, int mode, byte[] contents) {
    return File.newBuilder()
        .setPath(path)
        .setMode(mode)
        .setContents(ByteString.copyFrom(contents))
        .build();
  }

  static ObjectVersion version(String id, String version) {
    return ObjectVersion.newBuilder().setId(id).setVersion(version).build();
  }

  static MountResponse response(List<File> files, ObjectVersion... versions) {
    return MountResponse.newBuilder()
        .addAllFiles(files)
        .addAllObjectVersion(List.of(versions))
        .build();
  }

  static MountResponse errorCode(String code) {
    return MountResponse.newBuilder().setError(Error.newBuilder().setCode(code)).build();
  }
}
