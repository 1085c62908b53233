// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.fetch.MountLimits;
import io.secretsstore.provider.fetch.ResilienceSettings;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.grpc.ProviderRuntime;
import io.secretsstore.provider.grpc.ProviderServer;
import io.secretsstore.provider.grpc.SocketPath;
import io.secretsstore.provider.metrics.MountObserver;
import io.secretsstore.provider.spi.SecretBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The real provider stack (service, mount engine, Unix-socket server) for one backend on a
 * temporary socket, and a driver-like client for it. Socket paths must stay under 108 bytes, so the
 * directory is made under /tmp rather than a build directory. Service tests that need no socket use
 * {@link #inProcess}: the same stack and limits on an in-process transport.
 */
public final class ProviderFixture implements AutoCloseable {
  /**
   * An engine for backend integration tests: polls every 500 ms, objects fresh for 2 s, idle after
   * 1.5 s, three attempts, a circuit that never opens in practice.
   */
  public static final EngineSettings FAST =
      new EngineSettings(
          new MountLimits(256, 4L << 20, Duration.ofSeconds(20)),
          new CacheSettings(
              Duration.ofMillis(500),
              Duration.ZERO,
              Duration.ofSeconds(2),
              Duration.ofMillis(1500),
              64L << 20,
              10_000),
          new ResilienceSettings(
              16, 3, Duration.ofMillis(50), Duration.ofSeconds(2), 50, Duration.ofSeconds(1)),
          16);

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Path directory;
  private final ProviderRuntime runtime;
  private final ProviderClient client;

  private ProviderFixture(Path directory, ProviderRuntime runtime, ProviderClient client) {
    this.directory = directory;
    this.runtime = runtime;
    this.client = client;
  }

  /** Starts a backend with the default engine settings. */
  public static ProviderFixture start(SecretBackend backend) throws IOException {
    return start(backend, EngineSettings.DEFAULT);
  }

  public static ProviderFixture start(SecretBackend backend, EngineSettings settings)
      throws IOException {
    return start(backend, settings, MountAuditor.NONE);
  }

  /** Starts a backend whose mounts are audited by {@code auditor}. */
  public static ProviderFixture start(
      SecretBackend backend, EngineSettings settings, MountAuditor auditor) throws IOException {
    Path directory = Files.createTempDirectory(Path.of("/tmp"), "ssp");
    ProviderRuntime runtime =
        ProviderRuntime.start(
            backend,
            settings,
            SocketPath.of(directory, backend.name()),
            FetchEvents.NONE,
            MountObserver.NONE,
            auditor,
            4,
            Duration.ofSeconds(2),
            // Tests that delete the socket check what follows; ProviderServerIT covers the
            // restoring.
            Duration.ZERO);
    return new ProviderFixture(directory, runtime, ProviderClient.connect(runtime.socket()));
  }

  /**
   * Starts a backend served in-process: the same service, engine, admission budget and request
   * limit as on the socket, without one (no socket lifecycle, no Netty). For service tests only;
   * contract tests use {@link #start}.
   */
  public static ProviderFixture inProcess(
      SecretBackend backend, EngineSettings settings, MountAuditor auditor) throws IOException {
    String name = "provider-" + UUID.randomUUID();
    ProviderRuntime runtime =
        ProviderRuntime.start(
            backend,
            settings,
            InProcessTransport.server(name),
            FetchEvents.NONE,
            MountObserver.NONE,
            auditor,
            4,
            Duration.ofSeconds(2));
    return new ProviderFixture(
        null, runtime, ProviderClient.over(InProcessTransport.channel(name)));
  }

  /** Mounts through the socket as the driver would, with a 30 s deadline. */
  public MountReply mount(ProviderClient.MountCall call) {
    return client.mount(call, TIMEOUT);
  }

  /**
   * Asserts that a mount fails with the code, that its description names the problem, and that the
   * description holds no canary; returns the failure.
   */
  public ProviderCallException assertRejected(
      ProviderClient.MountCall call, String code, String message) {
    try {
      client.mount(call, TIMEOUT);
    } catch (ProviderCallException e) {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.description()).contains(message);
      LogCapture.assertNoCanaryIn(e.description(), Canaries.all());
      return e;
    }
    throw new AssertionError("the mount should have failed with " + code);
  }

  /** The text of a returned file. */
  public static String text(MountReply reply, int file) {
    return new String(reply.files().get(file).contents(), StandardCharsets.UTF_8);
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

  /** The mount engine, for tests that apply a reloaded configuration to it. */
  public MountEngine engine() {
    return runtime.engine();
  }

  @Override
  public void close() throws IOException {
    client.close();
    runtime.close();
    if (directory == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
