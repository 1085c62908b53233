// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.Emulators;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.TestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.SsmException;

class AwsSsmFaultsAndDemoTest {
  @TempDir Path dir;

  private AwsEmulator aws;
  private StartedEmulator started;
  private SdkHttpClient http;

  @BeforeEach
  void start() throws Exception {
    aws = new AwsEmulator();
    started = aws.start(EmulatorOptions.create(dir.resolve("ca.pem")));
    http = AwsClients.http(dir.resolve("ca.pem"));
  }

  @AfterEach
  void stop() {
    http.close();
    aws.close();
  }

  @Test
  void getParameters_versionsLabelsDecryptionAndInvalidNames() {
    aws.putParameter("us-east-1", "/app/a", "a1", false);
    aws.putParameter("us-east-1", "/app/a", "a2", false);
    aws.labelParameter("us-east-1", "/app/a", 1, "stable");
    aws.putParameter("us-east-1", "/app/s", "secure-value", true);
    try (SsmClient ssm = AwsClients.ssm(started, http, AwsClients.staticPair(aws))) {
      GetParametersResponse r =
          ssm.getParameters(
              b ->
                  b.names(
                          "/app/a",
                          "/app/a:1",
                          "/app/a:stable",
                          "/app/s",
                          "/app/missing",
                          "/app/a:9")
                      .withDecryption(true));
      assertThat(r.parameters())
          .extracting(Parameter::value)
          .containsExactly("a2", "a1", "a1", "secure-value");
      assertThat(r.parameters()).extracting(Parameter::version).containsExactly(2L, 1L, 1L, 1L);
      assertThat(r.parameters().get(1).selector()).isEqualTo(":1");
      assertThat(r.parameters().get(2).name()).isEqualTo("/app/a");
      assertThat(r.parameters().get(3).typeAsString()).isEqualTo("SecureString");
      assertThat(r.invalidParameters()).containsExactly("/app/missing", "/app/a:9");

      assertThat(ssm.getParameters(b -> b.names("/app/s")).parameters().get(0).value())
          .isNotEqualTo("secure-value");
      assertThat(
              ssm.getParameters(b -> b.names("arn:aws:ssm:us-east-1:111122223333:parameter/app/a"))
                  .parameters()
                  .get(0)
                  .value())
          .isEqualTo("a2");

      List<String> eleven = IntStream.range(0, 11).mapToObj(i -> "/app/p" + i).toList();
      assertThatThrownBy(() -> ssm.getParameters(b -> b.names(eleven)))
          .isInstanceOfSatisfying(
              SsmException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }
    assertThat(aws.calls().count("aws.ssm.GetParameters")).isEqualTo(4);
  }

  @Test
  void throttling_asStatus429_orAsThrottlingException400_isThrottlingToTheSdk_andRetried() {
    aws.putSecret("us-east-1", "a", "va");
    aws.putSecret("us-east-1", "b", "vb");
    try (SecretsManagerClient sm =
        AwsClients.secrets(started, http, AwsClients.staticPair(aws), "us-east-1")) {
      aws.faults().inject("aws.secretsmanager.GetSecretValue", Fault.error(429), 1);
      assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId("a")))
          .isInstanceOfSatisfying(
              SecretsManagerException.class,
              e -> {
                assertThat(e.isThrottlingException()).isTrue();
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
              });
      aws.faults()
          .inject(
              "aws.secretsmanager.GetSecretValue",
              Fault.error(400)
                  .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"),
              1);
      assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId("a")))
          .isInstanceOfSatisfying(
              SecretsManagerException.class, e -> assertThat(e.isThrottlingException()).isTrue());

      aws.faults()
          .inject("aws.secretsmanager.GetSecretValue", "b", Fault.error(500), FaultPlan.ALWAYS);
      assertThat(sm.getSecretValue(b -> b.secretId("a")).secretString()).isEqualTo("va");
      assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId(aws.arn("us-east-1", "b"))))
          .isInstanceOfSatisfying(
              SecretsManagerException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServiceError");
              });
      aws.faults().clear();
    }
    AwsCredentials pair = AwsClients.staticPair(aws);
    try (SecretsManagerClient retrying =
        SecretsManagerClient.builder()
            .endpointOverride(AwsClients.https(started))
            .region(Region.US_EAST_1)
            .httpClient(http)
            .credentialsProvider(StaticCredentialsProvider.create(pair))
            .build()) {
      aws.calls().reset();
      aws.faults().inject("aws.secretsmanager.GetSecretValue", Fault.error(429), 1);
      assertThat(retrying.getSecretValue(b -> b.secretId("a")).secretString()).isEqualTo("va");
      assertThat(aws.calls().count("aws.secretsmanager.GetSecretValue")).isEqualTo(2);
    }
  }

  @Test
  void aTamperedBody_failsTheSignature_theOriginalPasses() throws Exception {
    aws.putSecret("us-east-1", "a", "va");
    aws.putSecret("us-east-1", "b", "vb");
    String[] pair = aws.staticCredentials();
    String body = "{\"SecretId\":\"a\"}";
    URI endpoint = AwsClients.https(started);
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue")
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(pair[0], pair[1]))
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager"));
    HttpClient client = TestClients.trusting(dir.resolve("ca.pem"));

    HttpResponse<String> original = send(client, endpoint, signed, body);
    HttpResponse<String> tampered = send(client, endpoint, signed, "{\"SecretId\":\"b\"}");

    assertThat(original.statusCode()).isEqualTo(200);
    assertThat(original.body()).contains("\"SecretString\":\"va\"");
    assertThat(tampered.statusCode()).isEqualTo(400);
    assertThat(tampered.body())
        .contains("\"__type\":\"InvalidSignatureException\"")
        .doesNotContain("vb");
  }

  private static HttpResponse<String> send(
      HttpClient client, URI endpoint, SignedRequest signed, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    signed
        .request()
        .forEachHeader(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> request.header(name, v));
              }
            });
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void unsignedOrUnknownRequests_areRejectedInAwsShape() throws Exception {
    HttpClient client = TestClients.trusting(dir.resolve("ca.pem"));
    HttpResponse<String> unsigned =
        client.send(
            HttpRequest.newBuilder(AwsClients.https(started))
                .header("X-Amz-Target", "secretsmanager.GetSecretValue")
                .POST(HttpRequest.BodyPublishers.ofString("{\"SecretId\":\"a\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(400);
    assertThat(unsigned.body()).contains("MissingAuthenticationTokenException");
    HttpResponse<String> unknown =
        client.send(
            HttpRequest.newBuilder(AwsClients.https(started))
                .header("X-Amz-Target", "secretsmanager.DeleteSecret")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.body()).contains("UnknownOperationException");
  }

  @Test
  void demo_seedsWhatTheBackendReads_withTheDemoToken() {
    DemoScenario demo = aws.demo(started).orElseThrow();

    assertThat(demo.backend()).isEqualTo("aws");
    assertThat(demo.serveFlags())
        .containsExactly(
            "--aws-endpoint=" + started.endpoint("https"),
            "--aws-ca-bundle=" + dir.resolve("ca.pem"),
            "--aws-region=us-east-1",
            "--aws-role-arn-for=demo/app=arn:aws:iam::111122223333:role/demo-app");
    assertThat(demo.secretProviderClass())
        .contains(
            "name: app-secrets",
            "namespace: demo",
            "provider: aws",
            "region: us-east-1",
            "objectName: demo/db",
            "path: username",
            "path: password",
            "objectName: /demo/api-key",
            "objectType: ssmparameter");
    String token = demo.tokensByAudience().get("sts.amazonaws.com");
    try (var sts = AwsClients.sts(started, http)) {
      var credentials =
          sts.assumeRoleWithWebIdentity(
                  b ->
                      b.roleArn("arn:aws:iam::111122223333:role/demo-app")
                          .roleSessionName("demo")
                          .webIdentityToken(token))
              .credentials();
      try (SecretsManagerClient sm =
              AwsClients.secrets(started, http, AwsClients.session(credentials), "us-east-1");
          SsmClient ssm = AwsClients.ssm(started, http, AwsClients.session(credentials))) {
        assertThat(sm.getSecretValue(b -> b.secretId("demo/db")).secretString())
            .startsWith("{\"username\":\"app\",\"password\":\"");
        assertThat(
                ssm.getParameters(b -> b.names("/demo/api-key").withDecryption(true)).parameters())
            .hasSize(1);
      }
    }
  }

  @Test
  void isFoundByServiceLoader_andAdvertisesItsSettings() {
    List<CloudEmulator> all = Emulators.discover();
    assertThat(all).anyMatch(e -> e instanceof AwsEmulator && e.name().equals("aws"));
    assertThat(started.endpoints().keySet()).containsExactly("http", "https", "pod-identity");
    assertThat(started.endpoint("pod-identity"))
        .isEqualTo(URI.create(started.endpoint("http") + "/v1/credentials"));
    assertThat(started.settings())
        .isEqualTo(
            Map.of(
                "AWS_ENDPOINT_URL",
                started.endpoint("https").toString(),
                "AWS_CA_BUNDLE",
                dir.resolve("ca.pem").toString(),
                "AWS_REGION",
                "us-east-1"));
  }
}
