// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

class AwsSecretsManagerTest {
  @TempDir Path dir;

  private AwsEmulator aws;
  private StartedEmulator started;
  private SdkHttpClient http;
  private SecretsManagerClient client;

  @BeforeEach
  void start() throws Exception {
    aws = new AwsEmulator();
    started = aws.start(EmulatorOptions.create(dir.resolve("ca.pem")));
    http = AwsClients.http(dir.resolve("ca.pem"));
    client = AwsClients.secrets(started, http, AwsClients.staticPair(aws), "us-east-1");
  }

  @AfterEach
  void stop() {
    client.close();
    http.close();
    aws.close();
  }

  @Test
  void getSecretValue_byNameOrArn_versionOrStage_overHttpsWithTheCa() {
    String v1 = aws.putSecret("us-east-1", "app/db", "one");
    String v2 = aws.putSecret("us-east-1", "app/db", "two");

    GetSecretValueResponse current = client.getSecretValue(b -> b.secretId("app/db"));
    assertThat(current.secretString()).isEqualTo("two");
    assertThat(current.versionId()).isEqualTo(v2);
    assertThat(current.versionStages()).containsExactly("AWSCURRENT");
    assertThat(current.name()).isEqualTo("app/db");
    assertThat(current.arn())
        .isEqualTo("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-AbCdEf");
    assertThat(current.createdDate()).isNotNull();

    assertThat(
            client
                .getSecretValue(b -> b.secretId(aws.arn("us-east-1", "app/db")).versionId(v1))
                .secretString())
        .isEqualTo("one");
    assertThat(
            client
                .getSecretValue(b -> b.secretId("app/db").versionStage("AWSPREVIOUS"))
                .versionId())
        .isEqualTo(v1);

    aws.labelVersion("us-east-1", "app/db", v1, "AWSCURRENT");
    assertThat(client.getSecretValue(b -> b.secretId("app/db")).secretString()).isEqualTo("one");
    assertThat(
            client
                .getSecretValue(b -> b.secretId("app/db").versionStage("AWSPREVIOUS"))
                .versionId())
        .isEqualTo(v2);
  }

  @Test
  void putSecretAt_aForeignArn_answersToThatArnOnly_inItsRegion() {
    String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:PrimarySecret-12345";
    aws.putSecretAt(arn, "primary");
    GetSecretValueResponse byArn = client.getSecretValue(b -> b.secretId(arn));
    assertThat(byArn.secretString()).isEqualTo("primary");
    assertThat(byArn.arn()).isEqualTo(arn);
    assertThat(byArn.name()).isEqualTo("PrimarySecret");
    assertThat(client.getSecretValue(b -> b.secretId("PrimarySecret")).arn()).isEqualTo(arn);
    assertThatThrownBy(
            () -> client.getSecretValue(b -> b.secretId(arn.replace("-12345", "-AbCdEf"))))
        .isInstanceOf(ResourceNotFoundException.class);
    try (SecretsManagerClient west =
        AwsClients.secrets(started, http, AwsClients.staticPair(aws), "us-west-2")) {
      assertThatThrownBy(() -> west.getSecretValue(b -> b.secretId(arn)))
          .isInstanceOf(ResourceNotFoundException.class);
    }
    assertThatThrownBy(() -> aws.putSecretAt("arn:aws:ssm:us-east-1:1:parameter/x", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> aws.putSecret("us-east-1", "PrimarySecret", "v"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void binarySecrets_andRegionsAreSeparate() {
    aws.putSecretBinary("eu-west-1", "bin", new byte[] {0, 1, 2, (byte) 255});
    try (SecretsManagerClient eu =
        AwsClients.secrets(started, http, AwsClients.staticPair(aws), "eu-west-1")) {
      assertThat(eu.getSecretValue(b -> b.secretId("bin")).secretBinary().asByteArray())
          .containsExactly(0, 1, 2, 255);
    }
    assertThatThrownBy(() -> client.getSecretValue(b -> b.secretId("bin")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void unknownSecretOrVersion_isResourceNotFound() {
    aws.putSecret("us-east-1", "a", "x");
    assertThatThrownBy(() -> client.getSecretValue(b -> b.secretId("missing")))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThatThrownBy(() -> client.getSecretValue(b -> b.secretId("a").versionId("nope")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> client.getSecretValue(b -> b.secretId("a").versionStage("GONE")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void describe_list_put_batch() {
    String v1 = aws.putSecret("us-east-1", "s", "one");
    PutSecretValueResponse put = client.putSecretValue(b -> b.secretId("s").secretString("two"));
    assertThat(put.versionStages()).containsExactly("AWSCURRENT");

    DescribeSecretResponse described = client.describeSecret(b -> b.secretId("s"));
    assertThat(described.versionIdsToStages())
        .containsEntry(v1, List.of("AWSPREVIOUS"))
        .containsEntry(put.versionId(), List.of("AWSCURRENT"));

    ListSecretVersionIdsResponse listed = client.listSecretVersionIds(b -> b.secretId("s"));
    assertThat(listed.versions()).hasSize(2);

    client.putSecretValue(
        b -> b.secretId("s").secretBinary(SdkBytes.fromString("bin", StandardCharsets.UTF_8)));
    assertThat(client.getSecretValue(b -> b.secretId("s")).secretBinary().asUtf8String())
        .isEqualTo("bin");

    BatchGetSecretValueResponse batch =
        client.batchGetSecretValue(b -> b.secretIdList("s", "missing"));
    assertThat(batch.secretValues()).extracting(v -> v.name()).containsExactly("s");
    assertThat(batch.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.secretId()).isEqualTo("missing");
              assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException");
            });
    assertThat(aws.calls().snapshot())
        .containsEntry("aws.secretsmanager.PutSecretValue", 2L)
        .containsEntry("aws.secretsmanager.DescribeSecret", 1L)
        .containsEntry("aws.secretsmanager.ListSecretVersionIds", 1L)
        .containsEntry("aws.secretsmanager.BatchGetSecretValue", 1L)
        .containsEntry("aws.secretsmanager.GetSecretValue", 1L);
  }

  @Test
  void aWrongSecretKey_isAnInvalidSignature_andAnUnknownKey_unrecognized() {
    aws.putSecret("us-east-1", "s", "v");
    String[] pair = aws.staticCredentials();
    try (SecretsManagerClient wrong =
        AwsClients.secrets(
            started, http, AwsBasicCredentials.create(pair[0], pair[1] + "x"), "us-east-1")) {
      assertThatThrownBy(() -> wrong.getSecretValue(b -> b.secretId("s")))
          .isInstanceOfSatisfying(
              SecretsManagerException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                assertThat(e.statusCode()).isEqualTo(400);
              });
    }
    try (SecretsManagerClient unknown =
        AwsClients.secrets(
            started,
            http,
            AwsBasicCredentials.create("AKIAUNKNOWN000000000", pair[1]),
            "us-east-1")) {
      assertThatThrownBy(() -> unknown.getSecretValue(b -> b.secretId("s")))
          .isInstanceOfSatisfying(
              SecretsManagerException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("UnrecognizedClientException"));
    }
  }
}
