// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /livez} and {@code /readyz} of the sync controller, which has no socket to probe: live
 * while its process runs its loop, ready when the backend is (a standby replica is ready too, so a
 * rollout does not wait for it to lead).
 */
public final class SyncHealth implements AutoCloseable {
  private final HttpServer server;

  private SyncHealth(HttpServer server) {
    this.server = server;
  }

  /**
   * @param problem why the controller cannot work (stopped, backend unreachable), or empty
   */
  public static SyncHealth start(
      InetSocketAddress address,
      Supplier<Optional<String>> liveness,
      Supplier<Optional<String>> problem)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    server.createContext("/livez", exchange -> respond(exchange, liveness.get()));
    server.createContext("/healthz", exchange -> respond(exchange, liveness.get()));
    server.createContext("/readyz", exchange -> respond(exchange, liveness.get().or(problem)));
    server.start();
    return new SyncHealth(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, Optional<String> problem) throws IOException {
    byte[] body = problem.map(p -> "not ok: " + p).orElse("ok").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(problem.isPresent() ? 503 : 200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
