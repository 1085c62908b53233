// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.GetSecretVersionRequest;
import com.google.cloud.secretmanager.v1.ListSecretVersionsRequest;
import com.google.cloud.secretmanager.v1.ListSecretVersionsResponse;
import com.google.cloud.secretmanager.v1.SecretVersion;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.TestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GCP emulator's wire behaviour with plain clients: the token exchange and impersonation over
 * HTTPS, and Secret Manager over gRPC with TLS (a generic gRPC client with the same descriptors).
 */
class GcpEmulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "projects/emulator-project/secrets/db";
  private static final String GSA = "reader@emulator-project.iam.gserviceaccount.com";

  private final GcpEmulator gcp = new GcpEmulator();
  private Path ca;
  private StartedEmulator started;
  private HttpClient http;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    ca = Files.createTempFile("gcp-ca", ".pem");
    started = gcp.start(EmulatorOptions.create(ca));
    http = TestClients.trusting(ca);
    channel =
        Grpc.newChannelBuilder(
                started.settings().get("GCP_SECRETMANAGER_ENDPOINT"),
                TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build())
            .build();
    gcp.addVersion(SECRET, "one");
    gcp.addVersion(SECRET, "two");
    gcp.addVersion(SECRET, "three");
    gcp.disable(SECRET, 2);
    gcp.addServiceAccount(GSA);
    gcp.allowImpersonation(GSA, gcp.workloadMember("ns", "app"));
    gcp.grant(GcpEmulator.serviceAccountMember(GSA), SECRET);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    gcp.close();
    Files.deleteIfExists(ca);
  }

  private HttpResponse<String> post(String path, String bearer, Object body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(started.endpoint("https") + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> exchange(String subjectToken, String audience) throws Exception {
    return post(
        "/v1/identitybindingtoken",
        null,
        Map.of(
            "grant_type",
            TokenExchange.GRANT_TYPE,
            "subject_token_type",
            TokenExchange.JWT,
            "subject_token",
            subjectToken,
            "audience",
            audience,
            "scope",
            IamCredentials.SCOPE));
  }

  private String federated() throws Exception {
    HttpResponse<String> response =
        exchange(
            gcp.mintServiceAccountToken("ns", "app", GcpEmulator.POOL, Duration.ofHours(1)),
            GcpEmulator.AUDIENCE);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode json = JSON.readTree(response.body());
    assertThat(json.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(json.path("expires_in").asLong()).isEqualTo(3600);
    return json.path("access_token").asText();
  }

  private String impersonated() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/projects/-/serviceAccounts/" + GSA + ":generateAccessToken",
            federated(),
            Map.of("scope", List.of(IamCredentials.SCOPE)));
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body()).path("accessToken").asText();
  }

  private <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message> R call(
      String method, Q request, R response, String bearer) {
    Metadata headers = new Metadata();
    if (bearer != null) {
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + bearer);
    }
    io.grpc.Channel withHeaders =
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    return ClientCalls.blockingUnaryCall(
        withHeaders,
        SecretManagerService.method(method, request, response),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        request);
  }

  @Test
  void tokenExchange_checksAudienceSubjectTokenAndGrant() throws Exception {
    String good = gcp.mintServiceAccountToken("ns", "app", GcpEmulator.POOL, Duration.ofHours(1));
    assertThat(exchange(good, "identitynamespace:other").body()).contains("invalid_target");
    assertThat(
            exchange(
                    gcp.mintServiceAccountToken(
                        "ns", "app", "sts.amazonaws.com", Duration.ofHours(1)),
                    GcpEmulator.AUDIENCE)
                .body())
        .contains("invalid_grant");
    assertThat(
            exchange(
                    gcp.mintServiceAccountToken(
                        "ns", "app", GcpEmulator.POOL, Duration.ofSeconds(-1)),
                    GcpEmulator.AUDIENCE)
                .body())
        .contains("The access token has expired.");
    assertThat(exchange(good + "x", GcpEmulator.AUDIENCE).statusCode()).isEqualTo(400);
    assertThat(federated()).startsWith("ya29.");
    assertThat(gcp.calls().count("gcp.sts.token")).isEqualTo(5);
  }

  @Test
  void impersonation_needsABearerAndEveryHopAllowed() throws Exception {
    String path = "/v1/projects/-/serviceAccounts/" + GSA + ":generateAccessToken";
    assertThat(post(path, null, Map.of("scope", List.of(IamCredentials.SCOPE))).statusCode())
        .isEqualTo(401);
    String other = "other@emulator-project.iam.gserviceaccount.com";
    gcp.addServiceAccount(other);
    HttpResponse<String> denied =
        post(
            "/v1/projects/-/serviceAccounts/" + other + ":generateAccessToken",
            federated(),
            Map.of("scope", List.of(IamCredentials.SCOPE)));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("PERMISSION_DENIED");
    // A delegate the caller may use, which may not use the target, breaks the chain.
    String delegate = "delegate@emulator-project.iam.gserviceaccount.com";
    gcp.addServiceAccount(delegate);
    gcp.allowImpersonation(delegate, gcp.workloadMember("ns", "app"));
    assertThat(
            post(
                    path,
                    federated(),
                    Map.of(
                        "scope",
                        List.of(IamCredentials.SCOPE),
                        "delegates",
                        List.of("projects/-/serviceAccounts/" + delegate)))
                .statusCode())
        .isEqualTo(403);
    gcp.allowImpersonation(GSA, GcpEmulator.serviceAccountMember(delegate));
    assertThat(
            post(
                    path,
                    federated(),
                    Map.of(
                        "scope",
                        List.of(IamCredentials.SCOPE),
                        "delegates",
                        List.of("projects/-/serviceAccounts/" + delegate)))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void secretManager_resolvesVersions_andReportsTheirStates() throws Exception {
    String token = impersonated();
    AccessSecretVersionResponse latest =
        call(
            "AccessSecretVersion",
            AccessSecretVersionRequest.newBuilder().setName(SECRET + "/versions/latest").build(),
            AccessSecretVersionResponse.getDefaultInstance(),
            token);
    assertThat(latest.getName()).isEqualTo(SECRET + "/versions/3");
    assertThat(latest.getPayload().getData().toStringUtf8()).isEqualTo("three");
    assertThat(latest.getPayload().hasDataCrc32C()).isTrue();

    SecretVersion second =
        call(
            "GetSecretVersion",
            GetSecretVersionRequest.newBuilder().setName(SECRET + "/versions/2").build(),
            SecretVersion.getDefaultInstance(),
            token);
    assertThat(second.getState()).isEqualTo(SecretVersion.State.DISABLED);
    assertThatThrownBy(
            () ->
                call(
                    "AccessSecretVersion",
                    AccessSecretVersionRequest.newBuilder().setName(SECRET + "/versions/2").build(),
                    AccessSecretVersionResponse.getDefaultInstance(),
                    token))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));

    ListSecretVersionsResponse list =
        call(
            "ListSecretVersions",
            ListSecretVersionsRequest.newBuilder().setParent(SECRET).build(),
            ListSecretVersionsResponse.getDefaultInstance(),
            token);
    assertThat(list.getVersionsList())
        .extracting(SecretVersion::getName)
        .containsExactly(SECRET + "/versions/3", SECRET + "/versions/2", SECRET + "/versions/1");
    assertThat(gcp.calls().snapshot())
        .containsEntry(SecretManagerService.ACCESS, 2L)
        .containsEntry(SecretManagerService.GET, 1L)
        .containsEntry(SecretManagerService.LIST, 1L);
  }

  @Test
  void secretManager_enforcesTheBearerAndTheGrant() throws Exception {
    AccessSecretVersionRequest request =
        AccessSecretVersionRequest.newBuilder().setName(SECRET + "/versions/1").build();
    assertThatThrownBy(
            () ->
                call(
                    "AccessSecretVersion",
                    request,
                    AccessSecretVersionResponse.getDefaultInstance(),
                    null))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    String federated = federated();
    assertThatThrownBy(
            () ->
                call(
                    "AccessSecretVersion",
                    request,
                    AccessSecretVersionResponse.getDefaultInstance(),
                    federated))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    String token = impersonated();
    gcp.expireAccessTokens();
    assertThatThrownBy(
            () ->
                call(
                    "AccessSecretVersion",
                    request,
                    AccessSecretVersionResponse.getDefaultInstance(),
                    token))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void responseTime_holdsGrpcAnswersAndRefusalsForAtLeastTheTime() throws Exception {
    String token = impersonated();
    gcp.faults().inject(SecretManagerService.ACCESS, Fault.responseTime(Duration.ofMillis(300)));
    AccessSecretVersionRequest known =
        AccessSecretVersionRequest.newBuilder().setName(SECRET + "/versions/1").build();
    AccessSecretVersionRequest missing =
        AccessSecretVersionRequest.newBuilder().setName(SECRET + "/versions/99").build();

    long started = System.nanoTime();
    AccessSecretVersionResponse answer =
        call("AccessSecretVersion", known, AccessSecretVersionResponse.getDefaultInstance(), token);
    Duration answered = Duration.ofNanos(System.nanoTime() - started);
    started = System.nanoTime();
    assertThatThrownBy(
            () ->
                call(
                    "AccessSecretVersion",
                    missing,
                    AccessSecretVersionResponse.getDefaultInstance(),
                    token))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    Duration refused = Duration.ofNanos(System.nanoTime() - started);

    assertThat(answer.getPayload().getData().toStringUtf8()).isEqualTo("one");
    assertThat(answered).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(refused).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void faults_becomeGrpcStatuses_perResource() throws Exception {
    String token = impersonated();
    gcp.faults()
        .inject(
            SecretManagerService.ACCESS,
            SECRET + "/versions/1",
            Fault.throttled(Duration.ofSeconds(1)),
            1);
    gcp.faults().inject(SecretManagerService.ACCESS, SECRET + "/versions/3", Fault.error(503), 1);
    AccessSecretVersionRequest first =
        AccessSecretVersionRequest.newBuilder().setName(SECRET + "/versions/1").build();
    AccessSecretVersionRequest third =
        AccessSecretVersionRequest.newBuilder().setName(SECRET + "/versions/3").build();
    assertThatThrownBy(
            () ->
                call(
                    "AccessSecretVersion",
                    first,
                    AccessSecretVersionResponse.getDefaultInstance(),
                    token))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThatThrownBy(
            () ->
                call(
                    "AccessSecretVersion",
                    third,
                    AccessSecretVersionResponse.getDefaultInstance(),
                    token))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(
            call(
                    "AccessSecretVersion",
                    first,
                    AccessSecretVersionResponse.getDefaultInstance(),
                    token)
                .getPayload()
                .getData()
                .toStringUtf8())
        .isEqualTo("one");
    gcp.faults().inject("gcp.sts.token", Fault.throttled(Duration.ofSeconds(2)), 1);
    HttpResponse<String> throttled =
        exchange(
            gcp.mintServiceAccountToken("ns", "app", GcpEmulator.POOL, Duration.ofHours(1)),
            GcpEmulator.AUDIENCE);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).contains("2");
    assertThat(throttled.body()).contains("temporarily_unavailable");
  }
}
