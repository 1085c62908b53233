// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.grpc.ProviderRuntime;
import io.secretsstore.provider.grpc.ProviderServer;
import io.secretsstore.provider.grpc.SocketPath;
import io.secretsstore.provider.metrics.MountObserver;
import io.secretsstore.provider.spi.SecretBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The real provider stack (service, mount engine, Unix-socket server) for one backend on a
 * temporary socket, and a driver-like client for it. Socket paths must stay under 108 bytes, so
 * the directory is made under /tmp rather than a build directory.
 */
public final class ProviderFixture implements AutoCloseable {
  private final Path directory;
  private final ProviderRuntime runtime;
  private final ProviderClient client;

  private ProviderFixture(Path directory, ProviderRuntime runtime) {
    this.directory = directory;
    this.runtime = runtime;
    this.client = ProviderClient.connect(runtime.socket());
  }

  /** Starts a backend with the default engine settings. */
  public static ProviderFixture start(SecretBackend backend) throws IOException {
    return start(backend, EngineSettings.DEFAULT);
  }

  public static ProviderFixture start(SecretBackend backend, EngineSettings settings) throws IOException {
    return start(backend, settings, MountAuditor.NONE);
  }

  /** Starts a backend whose mounts are audited by {@code auditor}. */
  public static ProviderFixture start(SecretBackend backend, EngineSettings settings, MountAuditor auditor) throws IOException {
    Path directory = Files.createTempDirectory(Path.of("/tmp"), "ssp");
    ProviderRuntime runtime = ProviderRuntime.start(backend, settings, SocketPath.of(directory, backend.name()),
        FetchEvents.NONE, MountObserver.NONE, auditor, 4, Duration.ofSeconds(2));
    return new ProviderFixture(directory, runtime);
  }

  public ProviderClient client() {
    return client;
  }

  public ProviderServer server() {
    return runtime.server();
  }

  public Path socket() {
    return runtime.socket();
  }

  @Override
  public void close() throws IOException {
    client.close();
    runtime.close();
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
