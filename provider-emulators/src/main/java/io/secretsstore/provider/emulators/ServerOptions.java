// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.util.Objects;

/**
 * How an {@link EmulatorServer} listens and whom it reports to. Share one {@link FaultPlan} and
 * {@link CallCounter} between the servers of one emulator (e.g. an HTTP token endpoint beside a
 * gRPC service) by passing the same instances.
 *
 * @param tls the certificate the HTTPS listener presents
 * @param httpPort the HTTP port on 127.0.0.1; 0 picks a free one
 * @param httpsPort the HTTPS port on 127.0.0.1; 0 picks a free one
 * @param threads worker threads; calls beyond them queue, then run on the accepting thread
 * @param faults the faults to inject
 * @param calls where calls are counted
 * @param errors the cloud's error format
 */
public record ServerOptions(
    EmulatorTls tls,
    int httpPort,
    int httpsPort,
    int threads,
    FaultPlan faults,
    CallCounter calls,
    ErrorRenderer errors) {
  /** Enough for the concurrent-mount tests; hung calls do not hold a thread. */
  public static final int DEFAULT_THREADS = 32;

  /** Checks ports and threads and that nothing is missing. */
  public ServerOptions {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(calls, "calls");
    Objects.requireNonNull(errors, "errors");
    requirePort(httpPort, "httpPort");
    requirePort(httpsPort, "httpsPort");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive");
    }
  }

  /** Free ports, {@link #DEFAULT_THREADS}, a new plan and counter, the default error format. */
  public static ServerOptions defaults(EmulatorTls tls) {
    return new ServerOptions(
        tls, 0, 0, DEFAULT_THREADS, new FaultPlan(), new CallCounter(), ErrorRenderer.DEFAULT);
  }

  /** The same options with fixed ports (0 for a free one). */
  public ServerOptions withPorts(int http, int https) {
    return new ServerOptions(tls, http, https, threads, faults, calls, errors);
  }

  /** The same options with another number of worker threads. */
  public ServerOptions withThreads(int count) {
    return new ServerOptions(tls, httpPort, httpsPort, count, faults, calls, errors);
  }

  /** The same options injecting faults from {@code plan}. */
  public ServerOptions withFaults(FaultPlan plan) {
    return new ServerOptions(tls, httpPort, httpsPort, threads, plan, calls, errors);
  }

  /** The same options counting calls in {@code counter}. */
  public ServerOptions withCalls(CallCounter counter) {
    return new ServerOptions(tls, httpPort, httpsPort, threads, faults, counter, errors);
  }

  /** The same options rendering errors with {@code renderer}. */
  public ServerOptions withErrors(ErrorRenderer renderer) {
    return new ServerOptions(tls, httpPort, httpsPort, threads, faults, calls, renderer);
  }

  private static void requirePort(int port, String name) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 0..65535");
    }
  }
}
