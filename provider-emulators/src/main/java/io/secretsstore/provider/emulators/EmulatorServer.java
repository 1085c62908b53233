// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.secretsstore.provider.concurrent.NamedThreads;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP and an HTTPS listener on 127.0.0.1 that serve the same routes, built on the JDK's {@code
 * com.sun.net.httpserver}. Every route names an operation, under which calls are counted ({@link
 * #calls()}) and faults injected ({@link #faults()}).
 *
 * <pre>{@code
 * EmulatorServer server = EmulatorServer.start(ServerOptions.defaults(tls));
 * server.route("GET", "/v1/secret/data/{path*}", "vault.kv2.read", request -> ...);
 * URI vault = server.httpUrl();
 * }</pre>
 *
 * Routes may be added at any time; a request that matches none gets 404 (or 405 when only the
 * method differs) in the emulator's error format and is counted as {@link CallCounter#UNMATCHED}.
 */
public final class EmulatorServer implements AutoCloseable {
  // Loopback only, and IPv4 explicitly: getLoopbackAddress() may be ::1 on an IPv6-preferring JVM.
  private static final InetAddress LOOPBACK = ipv4Loopback();
  private static final int BACKLOG = 128;
  // Beyond the threads, calls wait here; beyond this, the accepting thread runs them
  // (backpressure).
  private static final int QUEUE = 1024;

  static final String NO_DELAY = "sun.net.httpserver.nodelay";

  static {
    noDelay();
  }

  /**
   * The JDK server writes a response's headers and its body as two segments. Without TCP_NODELAY
   * the body waits for the client's delayed ACK, 40 ms on Linux, on every request of a kept-alive
   * connection: measured 45 ms per POST against 1.4 ms with it. Cloud endpoints answer without that
   * stall, and the stall made every HTTP/1.1 backend look 0.8 L slower than the gRPC one in
   * provider-bench. The JDK reads the property once, when it makes its first server; a {@code -D}
   * given to the JVM wins.
   */
  static void noDelay() {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  private final ServerOptions options;
  private final RouteTable routes;
  private final HttpServer http;
  private final HttpsServer https;
  private final ThreadPoolExecutor workers;
  private final HungExchanges hung;

  private EmulatorServer(
      ServerOptions options,
      RouteTable routes,
      HttpServer http,
      HttpsServer https,
      ThreadPoolExecutor workers,
      HungExchanges hung) {
    this.options = options;
    this.routes = routes;
    this.http = http;
    this.https = https;
    this.workers = workers;
    this.hung = hung;
  }

  /** Binds both listeners and starts serving (no routes yet). */
  public static EmulatorServer start(ServerOptions options) throws IOException {
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            options.threads(),
            options.threads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            new NamedThreads("emulator-http"),
            new ThreadPoolExecutor.CallerRunsPolicy());
    workers.allowCoreThreadTimeOut(true);
    RouteTable routes = new RouteTable();
    HungExchanges hung = new HungExchanges();
    Dispatcher dispatcher = new Dispatcher(routes, options, hung);
    HttpServer http = null;
    HttpsServer https = null;
    try {
      http = HttpServer.create(new InetSocketAddress(LOOPBACK, options.httpPort()), BACKLOG);
      https = HttpsServer.create(new InetSocketAddress(LOOPBACK, options.httpsPort()), BACKLOG);
      https.setHttpsConfigurator(new HttpsConfigurator(options.tls().serverContext()));
      for (HttpServer server : new HttpServer[] {http, https}) {
        server.createContext("/", dispatcher);
        server.setExecutor(workers);
        server.start();
      }
    } catch (IOException | RuntimeException e) {
      stop(http);
      stop(https);
      hung.close();
      workers.shutdownNow();
      throw e;
    }
    return new EmulatorServer(options, routes, http, https, workers, hung);
  }

  /** Adds a route without a condition; see {@link Route#of}. */
  public EmulatorServer route(
      String method, String pathPattern, String operation, EmulatorHandler handler) {
    return route(Route.of(method, pathPattern, operation), handler);
  }

  /** Adds a route; routes are tried in the order they were added. */
  public EmulatorServer route(Route route, EmulatorHandler handler) {
    Objects.requireNonNull(handler, "handler");
    routes.add(route, handler);
    return this;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI httpUrl() {
    return URI.create("http://" + LOOPBACK.getHostAddress() + ":" + http.getAddress().getPort());
  }

  /** {@code https://127.0.0.1:<port>}; the certificate also names {@code localhost}. */
  public URI httpsUrl() {
    return URI.create("https://" + LOOPBACK.getHostAddress() + ":" + https.getAddress().getPort());
  }

  /** The faults injected into this server's calls. */
  public FaultPlan faults() {
    return options.faults();
  }

  /** The calls this server received, per operation. */
  public CallCounter calls() {
    return options.calls();
  }

  /** The certificate material of the HTTPS listener. */
  public EmulatorTls tls() {
    return options.tls();
  }

  /** Stops both listeners at once, closes hung connections and stops the workers. */
  @Override
  public void close() {
    stop(http);
    stop(https);
    hung.close();
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "EmulatorServer[" + httpUrl() + ", " + httpsUrl() + "]";
  }

  private static void stop(HttpServer server) {
    if (server != null) {
      server.stop(0);
    }
  }

  private static InetAddress ipv4Loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4-byte address is always valid", e);
    }
  }
}
