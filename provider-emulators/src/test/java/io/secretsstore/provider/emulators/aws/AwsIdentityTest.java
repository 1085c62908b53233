// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.TestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.ExpiredTokenException;
import software.amazon.awssdk.services.sts.model.InvalidIdentityTokenException;
import software.amazon.awssdk.services.sts.model.StsException;

class AwsIdentityTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/app";

  @TempDir Path dir;

  private AwsEmulator aws;
  private StartedEmulator started;
  private SdkHttpClient http;
  private StsClient sts;

  @BeforeEach
  void start() throws Exception {
    aws = new AwsEmulator();
    started = aws.start(EmulatorOptions.create(dir.resolve("ca.pem")));
    http = AwsClients.http(dir.resolve("ca.pem"));
    sts = AwsClients.sts(started, http);
    aws.addRole(ROLE, "sts.amazonaws.com", "system:serviceaccount:ns:app");
    aws.allow(ROLE, "app/", "/app/");
    aws.putSecret("us-east-1", "app/db", "s3cret");
    aws.putSecret("us-east-1", "other/db", "not-yours");
    aws.putParameter("us-east-1", "/app/key", "k", true);
    aws.putParameter("us-east-1", "/other/key", "k", false);
  }

  @AfterEach
  void stop() {
    sts.close();
    http.close();
    aws.close();
  }

  private Credentials assume(String token, Integer durationSeconds) {
    return sts.assumeRoleWithWebIdentity(
            b ->
                b.roleArn(ROLE)
                    .roleSessionName("s")
                    .webIdentityToken(token)
                    .durationSeconds(durationSeconds))
        .credentials();
  }

  @Test
  void assumedCredentials_readAllowedNamesOnly() {
    String token =
        aws.mintWebIdentityToken("ns", "app", "sts.amazonaws.com", Duration.ofMinutes(5));
    Credentials credentials = assume(token, null);

    assertThat(credentials.accessKeyId()).startsWith("ASIA");
    assertThat(credentials.expiration())
        .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
    assertThat(aws.stsCalls()).isEqualTo(1);
    assertThat(aws.calls().count("aws.sts.AssumeRoleWithWebIdentity")).isEqualTo(1);

    try (SecretsManagerClient sm =
            AwsClients.secrets(started, http, AwsClients.session(credentials), "us-east-1");
        SsmClient ssm = AwsClients.ssm(started, http, AwsClients.session(credentials))) {
      assertThat(sm.getSecretValue(b -> b.secretId("app/db")).secretString()).isEqualTo("s3cret");
      assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId("other/db")))
          .isInstanceOfSatisfying(
              SecretsManagerException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
      assertThat(
              ssm.getParameters(b -> b.names("/app/key").withDecryption(true))
                  .parameters()
                  .get(0)
                  .value())
          .isEqualTo("k");
      assertThatThrownBy(() -> ssm.getParameters(b -> b.names("/other/key")))
          .isInstanceOfSatisfying(
              SsmException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));

      aws.expireSessions();
      assertThatThrownBy(() -> sm.getSecretValue(b -> b.secretId("app/db")))
          .isInstanceOfSatisfying(
              SecretsManagerException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException"));
    }
    try (SecretsManagerClient badToken =
        AwsClients.secrets(
            started,
            http,
            AwsSessionCredentials.create(
                credentials.accessKeyId(), credentials.secretAccessKey(), "forged"),
            "us-east-1")) {
      assertThatThrownBy(() -> badToken.getSecretValue(b -> b.secretId("app/db")))
          .isInstanceOfSatisfying(
              SecretsManagerException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("UnrecognizedClientException"));
    }
  }

  @Test
  void durationSeconds_isHonoured() {
    Credentials credentials =
        assume(
            aws.mintWebIdentityToken("ns", "app", "sts.amazonaws.com", Duration.ofMinutes(5)), 900);
    assertThat(credentials.expiration())
        .isBetween(Instant.now().plusSeconds(880), Instant.now().plusSeconds(920));
  }

  @Test
  void denials_inStsShapes() {
    String expired =
        aws.mintWebIdentityToken("ns", "app", "sts.amazonaws.com", Duration.ofSeconds(-10));
    assertThatThrownBy(() -> assume(expired, null)).isInstanceOf(ExpiredTokenException.class);

    String wrongAudience = aws.mintWebIdentityToken("ns", "app", "vault", Duration.ofMinutes(5));
    assertThatThrownBy(() -> assume(wrongAudience, null))
        .isInstanceOf(InvalidIdentityTokenException.class);

    String good = aws.mintWebIdentityToken("ns", "app", "sts.amazonaws.com", Duration.ofMinutes(5));
    String forged =
        good.substring(0, good.length() - 4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThatThrownBy(() -> assume(forged, null))
        .isInstanceOf(InvalidIdentityTokenException.class);

    String otherSubject =
        aws.mintWebIdentityToken("ns", "intruder", "sts.amazonaws.com", Duration.ofMinutes(5));
    assertThatThrownBy(() -> assume(otherSubject, null))
        .isInstanceOfSatisfying(
            StsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
              assertThat(e.statusCode()).isEqualTo(403);
            });
    assertThatThrownBy(
            () ->
                sts.assumeRoleWithWebIdentity(
                    b ->
                        b.roleArn("arn:aws:iam::111122223333:role/none")
                            .roleSessionName("s")
                            .webIdentityToken(good)))
        .isInstanceOfSatisfying(
            StsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
    assertThat(aws.stsCalls()).isEqualTo(5);
  }

  @Test
  void wildcardSubject_trustsAnyServiceAccount() {
    aws.addRole(ROLE, "sts.amazonaws.com", "*");
    assertThat(
            assume(
                    aws.mintWebIdentityToken("x", "y", "sts.amazonaws.com", Duration.ofMinutes(5)),
                    null)
                .accessKeyId())
        .startsWith("ASIA");
  }

  @Test
  void podIdentityAgent_givesContainerCredentials_forAnAssociatedServiceAccount() throws Exception {
    aws.podIdentityRole("ns", "app", ROLE);
    HttpClient client = TestClients.trusting(dir.resolve("ca.pem"));
    URI uri = started.endpoint("pod-identity");

    HttpResponse<String> ok =
        get(
            client,
            uri,
            aws.mintWebIdentityToken("ns", "app", "pods.eks.amazonaws.com", Duration.ofMinutes(5)));
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(ok.body());
    assertThat(body.path("AccessKeyId").asText()).startsWith("ASIA");
    assertThat(Instant.parse(body.path("Expiration").asText()))
        .isAfter(Instant.now().plusSeconds(3600));
    try (SecretsManagerClient sm =
        AwsClients.secrets(
            started,
            http,
            AwsSessionCredentials.create(
                body.path("AccessKeyId").asText(),
                body.path("SecretAccessKey").asText(),
                body.path("Token").asText()),
            "us-east-1")) {
      assertThat(sm.getSecretValue(b -> b.secretId("app/db")).secretString()).isEqualTo("s3cret");
    }

    assertThat(
            get(
                    client,
                    uri,
                    aws.mintWebIdentityToken(
                        "ns", "app", "sts.amazonaws.com", Duration.ofMinutes(5)))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            get(
                    client,
                    uri,
                    aws.mintWebIdentityToken(
                        "ns", "other", "pods.eks.amazonaws.com", Duration.ofMinutes(5)))
                .statusCode())
        .isEqualTo(403);
    assertThat(get(client, uri, "garbage").statusCode()).isEqualTo(400);
    assertThat(aws.calls().count("aws.podidentity.credentials")).isEqualTo(4);
  }

  private static HttpResponse<String> get(HttpClient client, URI uri, String token)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri)
            .header("Authorization", token)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
