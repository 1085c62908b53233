// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.grpc.CsiDriverProviderService;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.grpc.ProviderServer;
import io.secretsstore.provider.grpc.SocketPath;
import io.secretsstore.provider.metrics.MountObserver;
import io.secretsstore.provider.spi.SecretBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The real provider stack (service, mount engine, Unix-socket server) for one backend on a
 * temporary socket, and a driver-like client for it. Socket paths must stay under 108 bytes, so
 * the directory is made under /tmp rather than a build directory.
 */
public final class ProviderFixture implements AutoCloseable {
  private final Path directory;
  private final ProviderServer server;
  private final MountEngine engine;
  private final ExecutorService calls;
  private final ProviderClient client;

  private ProviderFixture(Path directory, ProviderServer server, MountEngine engine, ExecutorService calls) {
    this.directory = directory;
    this.server = server;
    this.engine = engine;
    this.calls = calls;
    this.client = ProviderClient.connect(server.socket());
  }

  /** Starts a backend with the default limits. */
  public static ProviderFixture start(SecretBackend backend) throws IOException {
    return start(backend, EngineSettings.DEFAULT);
  }

  public static ProviderFixture start(SecretBackend backend, EngineSettings settings) throws IOException {
    Path directory = Files.createTempDirectory(Path.of("/tmp"), "ssp");
    MountEngine engine = new MountEngine(backend, settings, FetchEvents.NONE);
    ExecutorService calls = Executors.newFixedThreadPool(4);
    CsiDriverProviderService service =
        new CsiDriverProviderService(engine, "secrets-store-provider-" + backend.name(), "0.1.0", MountObserver.NONE);
    ProviderServer server =
        ProviderServer.start(SocketPath.of(directory, backend.name()), List.of(service), calls, Duration.ofSeconds(2));
    return new ProviderFixture(directory, server, engine, calls);
  }

  public ProviderClient client() {
    return client;
  }

  public ProviderServer server() {
    return server;
  }

  public Path socket() {
    return server.socket();
  }

  @Override
  public void close() throws IOException {
    client.close();
    server.close();
    calls.shutdownNow();
    engine.close();
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
