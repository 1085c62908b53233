// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault as a real client sees it over a real socket. Timing asserts are lower bounds only. */
class FaultInjectionTest {
  private static final EmulatorTls TLS = EmulatorTls.generate();
  private static final String BODY = "0123456789".repeat(300);

  private EmulatorServer server;
  private FaultPlan faults;
  private final HttpClient client = TestClients.plain();

  @BeforeEach
  void start() throws Exception {
    server = EmulatorServer.start(ServerOptions.defaults(TLS).withThreads(4));
    server.route(
        "GET", "/v1/secret/{name}", "vault.read", request -> EmulatorResponse.text(200, BODY));
    server.route(
        "POST", "/v1/secret/{name}", "vault.write", request -> EmulatorResponse.empty(204));
    server.route(
        "GET", "/v1/sys/health", "vault.health", request -> EmulatorResponse.text(200, "ok"));
    faults = server.faults();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void latencyDelaysTheAnswerByAtLeastTheLatency() throws Exception {
    faults.inject("vault.read", Fault.latency(Duration.ofMillis(300)));

    long started = System.nanoTime();
    HttpResponse<String> response = get("/v1/secret/db");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void responseTime_runsTheHandlerFirst_andAnswersNoSoonerThanTheTime() throws Exception {
    CountDownLatch handled = new CountDownLatch(1);
    server.route(
        "GET",
        "/v1/slow/{name}",
        "vault.slow",
        request -> {
          handled.countDown();
          return EmulatorResponse.text(200, BODY);
        });
    faults.inject("vault.slow", Fault.responseTime(Duration.ofMinutes(5)));

    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create(server.httpUrl() + "/v1/slow/db")).build(),
            HttpResponse.BodyHandlers.ofString());

    // The emulator's own work is inside the time, not after it (Fault.latency waits first).
    assertThat(handled.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(pending).isNotDone();
    pending.cancel(true);
  }

  @Test
  void responseTime_holdsAnswersAndRefusalsForAtLeastTheTime() throws Exception {
    faults.inject(FaultPlan.ANY_OPERATION, Fault.responseTime(Duration.ofMillis(300)));
    server.route(
        "GET",
        "/v1/refused/{name}",
        "vault.refused",
        request -> {
          throw new EmulatorError(403, "permission denied");
        });

    for (String path : List.of("/v1/secret/db", "/v1/refused/db")) {
      long started = System.nanoTime();
      HttpResponse<String> response = get(path);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(response.statusCode()).isIn(200, 403);
      assertThat(took).as(path).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void throttlingAnswers429WithRetryAfterForTheNextCallsOnly() throws Exception {
    FaultRule rule = faults.inject("vault.read", Fault.throttled(Duration.ofSeconds(1)), 2);

    HttpResponse<String> first = get("/v1/secret/db");
    HttpResponse<String> second = get("/v1/secret/db");
    HttpResponse<String> third = get("/v1/secret/db");

    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(first.body()).contains("injected fault");
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(rule.remaining()).isZero();
    assertThat(server.calls().count("vault.read")).isEqualTo(3);
  }

  @Test
  void errorFaultCanCarryItsOwnBodyAndHeaders() throws Exception {
    faults.inject(
        "vault.read",
        Fault.error(503)
            .withHeader("Retry-After", "2")
            .withHeader("Content-Type", "application/x-amz-json-1.1")
            .withBody("{\"__type\":\"ServiceUnavailable\"}"),
        1);

    HttpResponse<String> response = get("/v1/secret/db");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/x-amz-json-1.1");
    assertThat(response.body()).isEqualTo("{\"__type\":\"ServiceUnavailable\"}");
  }

  @Test
  void failingAlwaysLastsUntilCleared() throws Exception {
    faults.inject("vault.read", Fault.error(503));

    assertThat(get("/v1/secret/a").statusCode()).isEqualTo(503);
    assertThat(get("/v1/secret/b").statusCode()).isEqualTo(503);
    assertThat(get("/v1/sys/health").statusCode()).isEqualTo(200);
    faults.clear("vault.read");
    assertThat(get("/v1/secret/a").statusCode()).isEqualTo(200);
  }

  @Test
  void resetClosesTheConnectionWithoutAnAnswerOverHttp() {
    faults.inject("vault.read", Fault.reset());

    assertThatThrownBy(() -> get("/v1/secret/db"))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
    assertThat(server.calls().count("vault.read")).isPositive();
  }

  @Test
  void resetClosesTheConnectionWithoutAnAnswerOverHttps() {
    faults.inject("vault.read", Fault.reset());
    HttpClient trusting = HttpClient.newBuilder().sslContext(TLS.clientContext()).build();

    assertThatThrownBy(() -> TestClients.get(trusting, server.httpsUrl().resolve("/v1/secret/db")))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void aSingleResetHitsOneCallAndTheNextSucceeds() throws Exception {
    // A POST: the JDK client (like HttpURLConnection) silently retries an idempotent GET once.
    faults.inject("vault.write", Fault.reset(), 1);
    HttpRequest write =
        HttpRequest.newBuilder(server.httpUrl().resolve("/v1/secret/db"))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();

    assertThatThrownBy(() -> client.send(write, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    assertThat(client.send(write, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(204);
    assertThat(server.calls().count("vault.write")).isEqualTo(2);
  }

  @Test
  void theJdkClientRetriesAGetOnceAfterAResetSoTheEmulatorCountsTwoCalls() throws Exception {
    faults.inject("vault.read", Fault.reset(), 1);

    assertThat(get("/v1/secret/db").statusCode()).isEqualTo(200);
    assertThat(server.calls().count("vault.read")).isEqualTo(2);
  }

  @Test
  void slowBodyArrivesWholeAfterThePauses() throws Exception {
    faults.inject("vault.read", Fault.slowBody(1000, Duration.ofMillis(100)));

    long started = System.nanoTime();
    HttpResponse<String> response = get("/v1/secret/db");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(BODY);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void hangKeepsTheClientWaitingPastItsDeadline() {
    faults.inject("vault.read", Fault.hang());
    HttpRequest request =
        HttpRequest.newBuilder(server.httpUrl().resolve("/v1/secret/db"))
            .timeout(Duration.ofMillis(300))
            .build();

    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(server.calls().count("vault.read")).isEqualTo(1);
  }

  @Test
  void hungCallEndsWithoutAnAnswerWhenItsTimeIsUp() {
    faults.inject("vault.read", Fault.hang(Duration.ofMillis(200)));

    assertThatThrownBy(() -> get("/v1/secret/db"))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void closingTheServerReleasesHungCalls() throws Exception {
    faults.inject("vault.read", Fault.hang());
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(
            HttpRequest.newBuilder(server.httpUrl().resolve("/v1/secret/db")).build(),
            HttpResponse.BodyHandlers.ofString());
    awaitCalls("vault.read", 1);

    server.close();

    assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void resourceFaultHitsOnlyThatResource() throws Exception {
    faults.inject("vault.read", "/v1/secret/b", Fault.error(500), FaultPlan.ALWAYS);

    assertThat(get("/v1/secret/a").statusCode()).isEqualTo(200);
    assertThat(get("/v1/secret/b").statusCode()).isEqualTo(500);
    assertThat(get("/v1/secret/c").statusCode()).isEqualTo(200);
  }

  @Test
  void anyOperationFaultHitsEveryRoute() throws Exception {
    faults.inject(FaultPlan.ANY_OPERATION, Fault.error(503), 2);

    assertThat(get("/v1/secret/a").statusCode()).isEqualTo(503);
    assertThat(get("/v1/sys/health").statusCode()).isEqualTo(503);
    assertThat(get("/v1/sys/health").statusCode()).isEqualTo(200);
  }

  @Test
  void callsAreCountedPerOperationAndResetClearsThem() throws Exception {
    get("/v1/secret/a");
    get("/v1/secret/b");
    get("/v1/sys/health");

    assertThat(server.calls().count("vault.read")).isEqualTo(2);
    assertThat(server.calls().count("vault.health")).isEqualTo(1);
    assertThat(server.calls().total()).isEqualTo(3);
    server.calls().reset();
    assertThat(server.calls().total()).isZero();
    get("/v1/sys/health");
    assertThat(server.calls().snapshot()).containsExactly(java.util.Map.entry("vault.health", 1L));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return TestClients.get(client, URI.create(server.httpUrl() + path));
  }

  private void awaitCalls(String operation, long count) throws InterruptedException {
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> server.calls().count(operation) >= count);
    assertThat(server.calls().count(operation)).isEqualTo(count);
  }
}
