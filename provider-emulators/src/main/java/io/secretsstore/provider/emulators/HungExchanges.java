// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import com.sun.net.httpserver.HttpExchange;
import io.secretsstore.provider.concurrent.NamedThreads;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Exchanges left unanswered by a {@link Fault.Hang}. They are parked here instead of in a sleeping
 * worker, so hung calls cost no thread; each is closed (no response) when its time is up or when
 * the server closes.
 */
final class HungExchanges implements AutoCloseable {
  private final Set<HttpExchange> parked = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(new NamedThreads("emulator-hang"));
  private volatile boolean closed;

  void park(HttpExchange exchange, Duration max) {
    parked.add(exchange);
    if (closed) {
      release(exchange);
      return;
    }
    try {
      timer.schedule(() -> release(exchange), max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The server closed between the check above and here.
      release(exchange);
    }
  }

  int size() {
    return parked.size();
  }

  private void release(HttpExchange exchange) {
    if (parked.remove(exchange)) {
      // No response was sent, so closing the exchange closes the connection: the client sees EOF.
      exchange.close();
    }
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    parked.forEach(this::release);
  }
}
