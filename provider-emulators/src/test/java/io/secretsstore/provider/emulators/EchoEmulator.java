// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only emulator, registered in the test class path's {@code META-INF/services}: {@code GET
 * /echo/{word}} answers the word. It is also the smallest example of the recipe in package-info.
 */
public final class EchoEmulator implements CloudEmulator {
  /** How many instances were closed after a start, so tests can see the command stopped them. */
  static final AtomicInteger CLOSED = new AtomicInteger();

  private final FaultPlan faults = new FaultPlan();
  private final CallCounter calls = new CallCounter();
  private EmulatorServer server;

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public synchronized StartedEmulator start(EmulatorOptions options) throws IOException {
    server = EmulatorServer.start(options.server(name()).withFaults(faults).withCalls(calls));
    server.route(
        "GET",
        "/echo/{word}",
        "echo.get",
        request -> EmulatorResponse.text(200, request.pathParam("word")));
    Map<String, URI> endpoints = new LinkedHashMap<>();
    endpoints.put("http", server.httpUrl());
    endpoints.put("https", server.httpsUrl());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("ECHO_URL", server.httpUrl().toString());
    settings.put("ECHO_CA_FILE", options.caFile().toString());
    return new StartedEmulator(name(), endpoints, settings);
  }

  @Override
  public FaultPlan faults() {
    return faults;
  }

  @Override
  public CallCounter calls() {
    return calls;
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
      CLOSED.incrementAndGet();
    }
  }
}
