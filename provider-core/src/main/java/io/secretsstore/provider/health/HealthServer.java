// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.health;

import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.http.BoundedHttpServer;
import io.secretsstore.provider.http.BoundedHttpServer.Request;
import io.secretsstore.provider.http.BoundedHttpServer.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Liveness and readiness over HTTP. {@code /livez} really calls Version over the provider's own
 * socket, as the driver would, so a deleted socket or a wedged server fails the probe. {@code
 * /readyz} means "this provider can serve its socket": by default the backend's own readiness (and
 * the probe identity's) is only reported, in {@code /readyz?verbose}, so a cloud outage does not
 * mark every node's provider NotReady and stall a DaemonSet rollout; with {@code
 * --readiness-includes-backend} it decides readiness too.
 */
public final class HealthServer implements AutoCloseable {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  /** Probes from several kubelets and scrapers must not each cost a backend call. */
  public static final Duration READINESS_CACHE = Duration.ofSeconds(5);

  /** Requests handled at once; each costs at most one Version call of {@link #PROBE_TIMEOUT}. */
  private static final int WORKERS = 4;

  private final BoundedHttpServer server;
  private final ProviderClient client;
  private final BooleanSupplier socketPresent;
  private final Supplier<Optional<String>> backendStatus;
  private final boolean backendInReadiness;

  private HealthServer(
      BoundedHttpServer server,
      ProviderClient client,
      BooleanSupplier socketPresent,
      Supplier<Optional<String>> backendStatus,
      boolean backendInReadiness) {
    this.server = server;
    this.client = client;
    this.socketPresent = socketPresent;
    this.backendStatus = backendStatus;
    this.backendInReadiness = backendInReadiness;
  }

  /**
   * Starts serving.
   *
   * @param socketPresent whether the socket is still where the driver looks for it
   * @param backendStatus why the backend cannot serve mounts, or empty; already cached by the
   *     caller (see {@link RecentResult}), since probes and scrapes ask often
   * @param backendInReadiness whether a backend problem makes {@code /readyz} fail
   */
  public static HealthServer start(
      InetSocketAddress address,
      Path socket,
      BooleanSupplier socketPresent,
      Supplier<Optional<String>> backendStatus,
      boolean backendInReadiness)
      throws IOException {
    ProviderClient client = ProviderClient.connect(socket);
    HealthServer[] health = new HealthServer[1];
    Function<Request, Response> live = request -> health[0].liveness();
    BoundedHttpServer server;
    try {
      server =
          BoundedHttpServer.start(
              address,
              Map.of(
                  "/livez",
                  live,
                  "/healthz",
                  live,
                  "/readyz",
                  request -> health[0].readiness(request)),
              WORKERS,
              "health");
    } catch (IOException e) {
      client.close();
      throw e;
    }
    health[0] = new HealthServer(server, client, socketPresent, backendStatus, backendInReadiness);
    return health[0];
  }

  public int port() {
    return server.port();
  }

  private Response liveness() {
    String problem = socketProblem();
    return problem == null ? Response.text(200, "ok\n") : Response.text(503, problem + "\n");
  }

  private Response readiness(Request request) {
    String socket = socketProblem();
    Optional<String> backend = backendStatus.get();
    boolean ready = socket == null && (!backendInReadiness || backend.isEmpty());
    if (!request.query().contains("verbose")) {
      String problem = socket != null ? socket : backendInReadiness ? backend.orElse(null) : null;
      return problem == null ? Response.text(200, "ok\n") : Response.text(503, problem + "\n");
    }
    StringBuilder body = new StringBuilder();
    body.append(socket == null ? "[+]socket ok\n" : "[-]socket failed: " + socket + "\n");
    body.append(backend.isEmpty() ? "[+]backend ok" : "[-]backend failed: " + backend.get());
    body.append(
        backendInReadiness
            ? "\n"
            : " (reported only; --readiness-includes-backend makes it decide readiness)\n");
    body.append(ready ? "readyz check passed\n" : "readyz check failed\n");
    return Response.text(ready ? 200 : 503, body.toString());
  }

  /** Null when the socket serves Version, otherwise the reason. */
  private @Nullable String socketProblem() {
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

  @Override
  public void close() {
    server.close();
    client.close();
  }
}
