// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.grpc.BindableService;
import io.grpc.ServerBuilder;
import io.secretsstore.provider.ProviderVersion;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.concurrent.NamedThreads;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.metrics.MountObserver;
import io.secretsstore.provider.spi.SecretBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One backend served on its socket: mount engine, gRPC service and Unix-socket server, started and
 * stopped together. {@code serve}, the demo and the tests all assemble the provider this way.
 */
public final class ProviderRuntime implements AutoCloseable {
  private final MountEngine engine;
  private final ExecutorService calls;
  private final ProviderServer server;

  private ProviderRuntime(MountEngine engine, ExecutorService calls, ProviderServer server) {
    this.engine = engine;
    this.calls = calls;
    this.server = server;
  }

  /**
   * Starts serving a started backend.
   *
   * @param socket the socket path, from {@link SocketPath#of}
   * @param events receives cache and backend-call events
   * @param observer receives every finished Mount
   * @param auditor records every finished Mount in the audit trail
   * @param grpcThreads threads serving calls
   * @param drainTimeout how long closing waits for in-flight calls
   * @param socketCheck how often to check that the socket is still there (zero: never)
   */
  public static ProviderRuntime start(
      SecretBackend backend,
      EngineSettings settings,
      Path socket,
      FetchEvents events,
      MountObserver observer,
      MountAuditor auditor,
      int grpcThreads,
      Duration drainTimeout,
      Duration socketCheck)
      throws IOException {
    return start(
        backend,
        settings,
        events,
        observer,
        auditor,
        grpcThreads,
        (services, calls) ->
            ProviderServer.start(socket, services, calls, drainTimeout, socketCheck));
  }

  /**
   * Starts serving a started backend on a gRPC builder the caller made (in-process in service
   * tests), with the same service, admission budget and {@link ServerLimits} as on the socket.
   */
  public static ProviderRuntime start(
      SecretBackend backend,
      EngineSettings settings,
      ServerBuilder<?> builder,
      FetchEvents events,
      MountObserver observer,
      MountAuditor auditor,
      int grpcThreads,
      Duration drainTimeout)
      throws IOException {
    return start(
        backend,
        settings,
        events,
        observer,
        auditor,
        grpcThreads,
        (services, calls) -> ProviderServer.start(builder, services, calls, drainTimeout));
  }

  /** Starts the server for the runtime's services on its call executor. */
  private interface ServerStarter {
    ProviderServer start(List<BindableService> services, ExecutorService calls) throws IOException;
  }

  private static ProviderRuntime start(
      SecretBackend backend,
      EngineSettings settings,
      FetchEvents events,
      MountObserver observer,
      MountAuditor auditor,
      int grpcThreads,
      ServerStarter starter)
      throws IOException {
    MountEngine engine = new MountEngine(backend, settings, events);
    ExecutorService calls =
        Executors.newFixedThreadPool(grpcThreads, new NamedThreads("grpc-call"));
    try {
      CsiDriverProviderService service =
          new CsiDriverProviderService(
              engine,
              ProviderVersion.runtimeName(backend.name()),
              ProviderVersion.get(),
              observer,
              auditor);
      return new ProviderRuntime(
          engine, calls, starter.start(List.of(service::admittingDefinition), calls));
    } catch (IOException | RuntimeException e) {
      calls.shutdownNow();
      engine.close();
      throw e;
    }
  }

  /** The mount engine, e.g. to apply reloaded settings. */
  public MountEngine engine() {
    return engine;
  }

  public ProviderServer server() {
    return server;
  }

  /**
   * The socket the driver connects to.
   *
   * @throws IllegalStateException when serving in-process (service tests), where there is none
   */
  public Path socket() {
    Path socket = server.socket();
    if (socket == null) {
      throw new IllegalStateException("this runtime serves in-process and has no socket");
    }
    return socket;
  }

  /** Drains and stops the server, then the engine; the backend is the caller's to close. */
  @Override
  public void close() {
    server.close();
    calls.shutdownNow();
    engine.close();
  }
}
