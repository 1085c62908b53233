// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import io.secretsstore.provider.logging.SafeThrowables;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one JDK handler behind both listeners: reads the whole request, routes it, counts it, applies
 * the fault plan, calls the route's handler and writes the answer.
 */
final class Dispatcher implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /**
   * Larger than any secret the suite stores (row 20 uses 5 MiB), small enough to never exhaust the
   * heap.
   */
  static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

  private final RouteTable routes;
  private final ServerOptions options;
  private final HungExchanges hung;

  Dispatcher(RouteTable routes, ServerOptions options, HungExchanges hung) {
    this.routes = routes;
    this.options = options;
    this.hung = hung;
  }

  @Override
  public void handle(HttpExchange exchange) {
    long arrived = System.nanoTime();
    String operation = CallCounter.UNMATCHED;
    try {
      EmulatorRequest request = read(exchange);
      RouteTable.Match match = routes.match(request);
      if (!match.found()) {
        options.calls().record(CallCounter.UNMATCHED);
        ExchangeWriter.send(exchange, render(operation, match.status(), match.message()), null);
        return;
      }
      request = match.request();
      operation = request.operation();
      options.calls().record(operation);
      FaultDecision decision =
          options.faults().next(operation, match.entry().route().resourceOf(request));
      if (!decision.delay().isZero()) {
        Thread.sleep(decision.delay().toMillis());
      }
      Optional<Fault> replacement = decision.replacement();
      if (replacement.isPresent()) {
        decision.awaitResponseTime(arrived);
        replace(exchange, operation, replacement.get());
        return;
      }
      EmulatorResponse response;
      try {
        response = invoke(match.entry().handler(), request);
      } catch (EmulatorError e) {
        // A refusal (a bad signature, an unknown secret) takes the backend's time too.
        response = render(operation, e.status(), e.getMessage());
      }
      decision.awaitResponseTime(arrived);
      ExchangeWriter.send(exchange, response, decision.slowBody().orElse(null));
      LOG.debug("{} {} -> {} {}", request.method(), request.path(), operation, response.status());
    } catch (EmulatorError e) {
      sendQuietly(exchange, render(operation, e.status(), e.getMessage()));
    } catch (InterruptedException e) {
      // The server is closing.
      Thread.currentThread().interrupt();
      exchange.close();
    } catch (IOException e) {
      // The client went away: nothing left to answer.
      LOG.debug("{} ended without a response: {}", operation, e.getClass().getSimpleName());
      exchange.close();
    } catch (RuntimeException e) {
      // A route condition, resource function or renderer failed: answer 500 rather than drop the
      // connection, which a client would take for an injected reset.
      LOG.warn("serving {} failed: {}", operation, SafeThrowables.describe(e));
      sendQuietly(
          exchange, ErrorRenderer.DEFAULT.render(operation, 500, "internal emulator error"));
    }
  }

  private EmulatorRequest read(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_REQUEST_BYTES + 1);
    }
    if (body.length > MAX_REQUEST_BYTES) {
      throw new EmulatorError(
          413, "the request body is larger than " + MAX_REQUEST_BYTES + " bytes");
    }
    return EmulatorRequest.received(
        exchange.getRequestMethod(), absoluteUri(exchange), exchange.getRequestHeaders(), body);
  }

  /**
   * The URI as the client wrote it: scheme from the listener, authority from {@code Host} if sane.
   */
  private static URI absoluteUri(HttpExchange exchange) {
    String scheme = exchange instanceof HttpsExchange ? "https" : "http";
    URI target = exchange.getRequestURI();
    String path =
        target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
    String local = "127.0.0.1:" + exchange.getLocalAddress().getPort();
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host != null) {
      try {
        URI withHost = URI.create(scheme + "://" + host + path + query);
        if (withHost.getHost() != null) {
          return withHost;
        }
      } catch (IllegalArgumentException e) {
        // A bogus Host header: fall back to the address the request actually reached.
      }
    }
    return URI.create(scheme + "://" + local + path + query);
  }

  private void replace(HttpExchange exchange, String operation, Fault fault)
      throws IOException, InterruptedException {
    if (fault instanceof Fault.ErrorResponse error) {
      EmulatorResponse response =
          error.body() == null
              ? render(operation, error.status(), "injected fault")
              : EmulatorResponse.bytes(
                  error.status(),
                  "application/json",
                  error.body().getBytes(StandardCharsets.UTF_8));
      for (Map.Entry<String, String> header : error.headers().entrySet()) {
        response = response.withHeader(header.getKey(), header.getValue());
      }
      ExchangeWriter.send(exchange, response, null);
    } else if (fault instanceof Fault.Hang hang) {
      hung.park(exchange, hang.max());
    } else {
      // Reset: no status line was sent, so closing the exchange closes the connection itself.
      exchange.close();
    }
  }

  private EmulatorResponse invoke(EmulatorHandler handler, EmulatorRequest request)
      throws InterruptedException {
    try {
      EmulatorResponse response = handler.handle(request);
      if (response == null) {
        LOG.warn("handler of {} returned no response", request.operation());
        return render(request.operation(), 500, "internal emulator error");
      }
      return response;
    } catch (EmulatorError | InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // Types and frames only: an exception's text could quote the secret the emulator was serving,
      // and the suite scans all output for planted canaries.
      LOG.warn("handler of {} failed: {}", request.operation(), SafeThrowables.describe(e));
      return render(request.operation(), 500, "internal emulator error");
    }
  }

  private EmulatorResponse render(String operation, int status, String message) {
    return options.errors().render(operation, status, message);
  }

  private static void sendQuietly(HttpExchange exchange, EmulatorResponse response) {
    try {
      ExchangeWriter.send(exchange, response, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    } catch (IOException | RuntimeException e) {
      // Headers were already sent, or the client is gone: all that is left is to hang up.
      exchange.close();
    }
  }
}
