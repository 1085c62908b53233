// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EmulatorServerTest {
  private static final EmulatorTls TLS = EmulatorTls.generate();

  private EmulatorServer server;
  private final HttpClient client = TestClients.plain();

  @BeforeEach
  void start() throws Exception {
    ErrorRenderer vaultStyle =
        (operation, status, message) ->
            EmulatorResponse.json(
                status, Map.of("errors", new String[] {operation + ": " + message}));
    server =
        EmulatorServer.start(ServerOptions.defaults(TLS).withErrors(vaultStyle).withThreads(4));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void serversSendWithoutWaitingForTheClientsAck() {
    // The JDK server reads the property when it makes its first server, which the class's
    // initialiser precedes; unset, every kept-alive response stalls 40 ms (see noDelay()).
    assertThat(System.getProperty(EmulatorServer.NO_DELAY)).isEqualTo("true");
  }

  @Test
  void listensOnIpv4LoopbackOnly() {
    assertThat(server.httpUrl().getHost()).isEqualTo("127.0.0.1");
    assertThat(server.httpsUrl().getHost()).isEqualTo("127.0.0.1");
    assertThat(server.httpUrl().getPort()).isNotEqualTo(server.httpsUrl().getPort());
  }

  @Test
  void routesByPathPatternAndPassesThePathVariables() throws Exception {
    server.route(
        "GET",
        "/secrets/{name}/{version*}",
        "kv.get",
        request ->
            EmulatorResponse.text(
                200, request.pathParam("name") + "|" + request.pathParam("version")));

    assertThat(get("/secrets/db/").body()).isEqualTo("db|");
    assertThat(get("/secrets/db").body()).isEqualTo("db|");
    assertThat(get("/secrets/db/v2").body()).isEqualTo("db|v2");
    assertThat(get("/secrets/a%2Fb/x/y").body()).isEqualTo("a/b|x/y");
    assertThat(server.calls().count("kv.get")).isEqualTo(4);
  }

  @Test
  void firstMatchingRouteWinsAndAConditionCanChooseTheOperation() throws Exception {
    server.route(
        Route.of("POST", "/", "aws.GetSecretValue")
            .when(
                request ->
                    request
                        .header("x-amz-target")
                        .filter("secretsmanager.GetSecretValue"::equals)
                        .isPresent()),
        request -> EmulatorResponse.jsonText(200, "{\"SecretString\":\"s\"}"));
    server.route(
        "POST",
        "/",
        "aws.unknown",
        request -> EmulatorResponse.text(400, "UnknownOperationException"));

    HttpResponse<String> known = post("/", "{}", "X-Amz-Target", "secretsmanager.GetSecretValue");
    HttpResponse<String> other = post("/", "{}", "X-Amz-Target", "secretsmanager.ListSecrets");

    assertThat(known.statusCode()).isEqualTo(200);
    assertThat(known.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(server.calls().snapshot())
        .containsExactlyInAnyOrderEntriesOf(Map.of("aws.GetSecretValue", 1L, "aws.unknown", 1L));
  }

  @Test
  void handlerSeesTheWholeBodyHeadersQueryAndBaseUri() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(body);
    server.route(
        "PUT",
        "/blob",
        "blob.put",
        request ->
            EmulatorResponse.json(
                200,
                Map.of(
                    "sha256", sha256(request.body()),
                    "query", request.queryParam("api-version").orElse(""),
                    "header", request.header("X-Custom").orElse(""),
                    "base", request.baseUri().toString(),
                    "secure", request.secure())));

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(server.httpUrl().resolve("/blob?api-version=7.4&x=a%20b"))
                .header("X-Custom", "yes")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"sha256\":\"" + sha256(body) + "\"")
        .contains("\"query\":\"7.4\"")
        .contains("\"header\":\"yes\"")
        .contains("\"base\":\"" + server.httpUrl() + "\"")
        .contains("\"secure\":false");
  }

  @Test
  void formBodiesAreDecoded() throws Exception {
    server.route(
        "POST",
        "/{tenant}/oauth2/v2.0/token",
        "aad.token",
        request ->
            EmulatorResponse.text(
                200, request.pathParam("tenant") + " " + request.formParam("scope").orElseThrow()));

    HttpResponse<String> response =
        post(
            "/t1/oauth2/v2.0/token",
            "grant_type=client_credentials&scope=https%3A%2F%2Fvault.azure.net%2F.default",
            "Content-Type",
            "application/x-www-form-urlencoded");

    assertThat(response.body()).isEqualTo("t1 https://vault.azure.net/.default");
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405InTheEmulatorsErrorFormat() throws Exception {
    server.route(
        "GET", "/v1/sys/health", "vault.health", request -> EmulatorResponse.jsonText(200, "{}"));

    HttpResponse<String> missing = get("/v1/nowhere");
    HttpResponse<String> wrongMethod = post("/v1/sys/health", "", "X-Any", "1");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body())
        .contains("\"errors\"")
        .contains("(unmatched): no route for GET /v1/nowhere");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(server.calls().count(CallCounter.UNMATCHED)).isEqualTo(2);
    assertThat(server.calls().count("vault.health")).isZero();
  }

  @Test
  void emulatorErrorIsRenderedAndAnyOtherExceptionBecomes500() throws Exception {
    server.route(
        "GET",
        "/denied",
        "test.denied",
        request -> {
          throw new EmulatorError(403, "permission denied");
        });
    server.route(
        "GET",
        "/bug",
        "test.bug",
        request -> {
          throw new IllegalStateException("S3CR3T-canary must not reach the client");
        });
    server.route(
        "POST", "/json", "test.json", request -> EmulatorResponse.json(200, request.json()));

    Logger dispatcher = (Logger) LoggerFactory.getLogger(Dispatcher.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    dispatcher.addAppender(logged);
    HttpResponse<String> denied;
    HttpResponse<String> bug;
    HttpResponse<String> badJson;
    try {
      denied = get("/denied");
      bug = get("/bug");
      badJson = post("/json", "{not json S3CR3T", "Content-Type", "application/json");
    } finally {
      dispatcher.detachAppender(logged);
    }

    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("test.denied: permission denied");
    assertThat(bug.statusCode()).isEqualTo(500);
    assertThat(bug.body()).contains("internal emulator error").doesNotContain("S3CR3T");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(badJson.body()).contains("not valid JSON").doesNotContain("S3CR3T");
    assertThat(logged.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains("test.bug").contains("IllegalStateException"))
        .noneSatisfy(line -> assertThat(line).contains("S3CR3T"));
  }

  @Test
  void aBrokenConditionOrAMissingResponseAnswers500InsteadOfDroppingTheConnection()
      throws Exception {
    server.route(
        Route.of("GET", "/broken", "test.broken")
            .when(
                request -> {
                  throw new IllegalStateException("bug in a condition");
                }),
        request -> EmulatorResponse.empty(204));
    server.route("GET", "/null", "test.null", request -> null);

    assertThat(get("/broken").statusCode()).isEqualTo(500);
    assertThat(get("/null").statusCode()).isEqualTo(500);
  }

  @Test
  void routesAddedAfterStartAreServedOverHttpAndHttps() throws Exception {
    server.route(
        "GET",
        "/late",
        "test.late",
        request -> EmulatorResponse.text(200, request.secure() ? "https" : "http"));
    HttpClient trusting = HttpClient.newBuilder().sslContext(TLS.clientContext()).build();

    assertThat(get("/late").body()).isEqualTo("http");
    assertThat(TestClients.get(trusting, server.httpsUrl().resolve("/late")).body())
        .isEqualTo("https");
    assertThat(server.calls().count("test.late")).isEqualTo(2);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return TestClients.get(client, server.httpUrl().resolve(path));
  }

  private HttpResponse<String> post(String path, String body, String header, String value)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(server.httpUrl() + path))
            .header(header, value)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
