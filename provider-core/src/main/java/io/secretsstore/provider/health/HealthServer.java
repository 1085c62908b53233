// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness and readiness over HTTP. {@code /livez} really calls Version over the provider's own
 * socket, as the driver would, so a deleted socket or a wedged server fails the probe; {@code
 * /readyz} adds the backend's own readiness.
 */
public final class HealthServer implements AutoCloseable {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
  /** Probes from several kubelets and scrapers must not each cost a backend call. */
  private static final Duration READINESS_CACHE = Duration.ofSeconds(5);

  private final HttpServer server;
  private final ProviderClient client;

  private HealthServer(HttpServer server, ProviderClient client) {
    this.server = server;
    this.client = client;
  }

  /**
   * Starts serving.
   *
   * @param socketPresent whether the socket is still where the driver looks for it
   * @param backendProblem why the backend cannot serve mounts, or empty
   */
  public static HealthServer start(
      InetSocketAddress address, Path socket, BooleanSupplier socketPresent, Supplier<Optional<String>> backendProblem)
      throws IOException {
    return start(address, socket, socketPresent, backendProblem, READINESS_CACHE);
  }

  static HealthServer start(InetSocketAddress address, Path socket, BooleanSupplier socketPresent,
      Supplier<Optional<String>> backendProblem, Duration readinessCache) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    ProviderClient client = ProviderClient.connect(socket);
    HealthServer health = new HealthServer(server, client);
    server.createContext("/livez", exchange -> health.respond(exchange, health.live(socketPresent)));
    server.createContext("/healthz", exchange -> health.respond(exchange, health.live(socketPresent)));
    Supplier<Optional<String>> cachedProblem = new RecentResult<>(backendProblem, readinessCache);
    server.createContext(
        "/readyz",
        exchange -> {
          String live = health.live(socketPresent);
          health.respond(exchange, live != null ? live : cachedProblem.get().orElse(null));
        });
    server.start();
    return health;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Null when live, otherwise the reason. */
  private String live(BooleanSupplier socketPresent) {
    if (!socketPresent.getAsBoolean()) {
      return "socket missing";
    }
    try {
      client.version(PROBE_TIMEOUT);
      return null;
    } catch (ProviderCallException e) {
      return "Version over the socket failed: " + e.code();
    }
  }

  private void respond(HttpExchange exchange, String problem) throws IOException {
    byte[] body = (problem == null ? "ok\n" : problem + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(problem == null ? 200 : 503, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    client.close();
  }
}
