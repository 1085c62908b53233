// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.secretsstore.provider.mount.ObjectVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

class DriverRequestBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OBJECTS =
      "array:\n  - |\n    objectName: db-password\n    objectVersion: \"\"\n";
  private static final Instant EXP = Instant.parse("2030-01-02T03:04:05Z");

  @TempDir Path dir;

  private final SecretProviderClassFile spcV1 =
      SecretProviderClassFile.read(TestFiles.resource("spc-v1.yaml"));
  private final PodSettings pod =
      new PodSettings("team-a", "web-0", "4f1c-uid", "app", true, Map.of());

  @Test
  void publishBuildsAttributesAsDriverV16FromParametersOverlaidByVolumeContext() {
    DriverRequest request = new DriverRequestBuilder(spcV1, pod, Path.of("/mnt/target")).publish();

    assertThat(request.attributes())
        .containsExactly(
            entry("csi.storage.k8s.io/ephemeral", "true"),
            entry(
                "csi.storage.k8s.io/pod.name",
                "web-0"), // kubelet's value wins over the SPC parameter
            entry("csi.storage.k8s.io/pod.namespace", "team-a"),
            entry("csi.storage.k8s.io/pod.uid", "4f1c-uid"),
            entry("csi.storage.k8s.io/serviceAccount.name", "app"),
            entry("objects", OBJECTS),
            entry("region", "eu-west-1"),
            entry("secretProviderClass", "app-secrets"),
            entry("usePodIdentity", "false"));
    assertThat(request.secretsJson()).isEqualTo("null");
    assertThat(request.permission()).isEqualTo("420");
    assertThat(request.targetPath()).isEqualTo("/mnt/target");
    assertThat(request.currentVersions()).isEmpty();
    assertThat(request.rotationCall()).isFalse();
  }

  @Test
  void attributesJsonIsGoJsonMarshalOutputSortedAndHtmlEscaped() throws Exception {
    PodSettings withAttribute =
        new PodSettings("team-a", "web-0", "u", "app", true, Map.of("query", "a<b&c>d"));
    DriverRequest request = new DriverRequestBuilder(spcV1, withAttribute, Path.of("/t")).publish();

    String json = request.attributesJson();
    assertThat(json)
        .startsWith(
            "{\"csi.storage.k8s.io/ephemeral\":\"true\",\"csi.storage.k8s.io/pod.name\":\"web-0\",");
    assertThat(json).contains("\"query\":\"a\\u003cb\\u0026c\\u003ed\"");
    assertThat(json)
        .contains(
            "\"objects\":\"array:\\n  - |\\n    objectName: db-password\\n    objectVersion: \\\"\\\"\\n\"");
    assertThat(JSON.readValue(json, new TypeReference<Map<String, String>>() {}))
        .isEqualTo(request.attributes());
  }

  @Test
  void v1alpha1ManifestWithoutNamespaceUsesThePodNamespace() {
    SecretProviderClassFile spc =
        SecretProviderClassFile.read(TestFiles.resource("spc-v1alpha1.yaml"));
    spc.checkForPod("anywhere");

    DriverRequest request =
        new DriverRequestBuilder(
                spc,
                new PodSettings("anywhere", "p", "u", "default", true, Map.of()),
                Path.of("/t"))
            .publish();

    assertThat(request.attributes())
        .containsEntry("keyvaultName", "kv-1")
        .containsEntry("tenantId", "00000000-0000-0000-0000-000000000000")
        .containsEntry("secretProviderClass", "legacy-secrets")
        .containsEntry("csi.storage.k8s.io/pod.namespace", "anywhere");
  }

  @Test
  void volumeAttributesOverrideParametersButNotKubeletKeys() {
    PodSettings withAttributes =
        new PodSettings(
            "team-a",
            "web-0",
            "u",
            "app",
            false,
            Map.of("region", "us-east-1", "extra", "x", "csi.storage.k8s.io/pod.uid", "forged"));

    DriverRequest request =
        new DriverRequestBuilder(spcV1, withAttributes, Path.of("/t")).publish();

    assertThat(request.attributes())
        .containsEntry("region", "us-east-1")
        .containsEntry("extra", "x")
        .containsEntry("csi.storage.k8s.io/pod.uid", "u")
        .containsEntry("csi.storage.k8s.io/ephemeral", "false");
  }

  @Test
  void volumeAttributeNamingAnotherSecretProviderClassIsRefused() {
    PodSettings other =
        new PodSettings(
            "team-a", "web-0", "u", "app", true, Map.of("secretProviderClass", "other"));

    assertThatThrownBy(() -> new DriverRequestBuilder(spcV1, other, Path.of("/t")).publish())
        .isInstanceOf(DriverFailure.class)
        .hasMessageContaining("secretProviderClass");
  }

  @Test
  void tokensGoIntoAttributesOnlyByDefault() throws Exception {
    String jwtA = TestFiles.jwt("eyJaaa", EXP);
    String jwtB = TestFiles.jwt("eyJbbb", null);
    ServiceAccountTokenFiles tokens =
        ServiceAccountTokenFiles.read(
            Map.of(
                "vault",
                TestFiles.write(dir, "a", jwtA + "\n"),
                "aws",
                TestFiles.write(dir, "b", jwtB)),
            Instant.parse("2026-05-01T10:00:00.750Z"));

    DriverRequest request =
        new DriverRequestBuilder(spcV1, pod, Path.of("/t")).tokens(tokens, false).publish();

    assertThat(request.attributes().get("csi.storage.k8s.io/serviceAccount.tokens"))
        .isEqualTo(
            "{\"aws\":{\"token\":\""
                + jwtB
                + "\",\"expirationTimestamp\":\"2026-05-01T11:00:00Z\"},"
                + "\"vault\":{\"token\":\""
                + jwtA
                + "\",\"expirationTimestamp\":\"2030-01-02T03:04:05Z\"}}");
    assertThat(request.secretsJson()).isEqualTo("null");
    assertThat(tokens.notes()).singleElement().asString().contains("\"aws\"").doesNotContain(jwtB);
  }

  @Test
  void tokensInSecretsModeSendsThemInSecretsAndInAttributes() throws Exception {
    ServiceAccountTokenFiles tokens =
        ServiceAccountTokenFiles.read(
            Map.of("vault", TestFiles.write(dir, "a", TestFiles.jwt("eyJaaa", EXP))),
            Instant.now());

    DriverRequest request =
        new DriverRequestBuilder(spcV1, pod, Path.of("/t")).tokens(tokens, true).publish();

    assertThat(request.secrets())
        .containsExactly(entry("csi.storage.k8s.io/serviceAccount.tokens", tokens.json()));
    assertThat(request.attributes())
        .containsEntry("csi.storage.k8s.io/serviceAccount.tokens", tokens.json());
    assertThat(request.secretsJson())
        .startsWith(
            "{\"csi.storage.k8s.io/serviceAccount.tokens\":\"{\\\"vault\\\":{\\\"token\\\":");
  }

  @Test
  void nodePublishSecretDataBecomesTheSecretsMapWithStringDataWinning() throws Exception {
    NodePublishSecretFile secret =
        NodePublishSecretFile.read(TestFiles.resource("node-publish-secret.yaml"));
    ServiceAccountTokenFiles tokens =
        ServiceAccountTokenFiles.read(
            Map.of("vault", TestFiles.write(dir, "a", TestFiles.jwt("eyJaaa", EXP))),
            Instant.now());

    DriverRequest plain =
        new DriverRequestBuilder(spcV1, pod, Path.of("/t")).nodePublishSecret(secret).publish();
    DriverRequest withTokens =
        new DriverRequestBuilder(spcV1, pod, Path.of("/t"))
            .nodePublishSecret(secret)
            .tokens(tokens, true)
            .publish();

    assertThat(plain.secretsJson())
        .isEqualTo(
            "{\"clientid\":\"client-1\",\"clientsecret\":\"S3CR3T-nps-canary\",\"shared\":\"from-stringData\"}");
    assertThat(plain.attributes()).doesNotContainKey("clientsecret");
    assertThat(withTokens.secrets())
        .containsOnlyKeys(
            "clientid", "clientsecret", "shared", "csi.storage.k8s.io/serviceAccount.tokens");
    assertThat(secret.toString()).doesNotContain("S3CR3T");
    assertThat(plain.toString()).doesNotContain("S3CR3T");
  }

  @Test
  void v15RotationCallHasNoVolumeAttributesAndSendsEmptySecretsAndMountedVersions()
      throws Exception {
    PodSettings withAttribute =
        new PodSettings("team-a", "web-0", "u", "app", true, Map.of("extra", "x"));
    ServiceAccountTokenFiles tokens =
        ServiceAccountTokenFiles.read(
            Map.of("vault", TestFiles.write(dir, "a", TestFiles.jwt("eyJaaa", EXP))),
            Instant.now());
    List<ObjectVersion> mounted = List.of(new ObjectVersion("secret/db-password", "v1"));

    DriverRequest request =
        new DriverRequestBuilder(spcV1, withAttribute, Path.of("/t"))
            .tokens(tokens, true)
            .v15Rotation(mounted);

    assertThat(request.attributes())
        .containsOnlyKeys(
            "objects",
            "region",
            "usePodIdentity",
            "csi.storage.k8s.io/pod.name",
            "csi.storage.k8s.io/pod.namespace",
            "csi.storage.k8s.io/pod.uid",
            "csi.storage.k8s.io/serviceAccount.name",
            "csi.storage.k8s.io/serviceAccount.tokens")
        .containsEntry("csi.storage.k8s.io/pod.name", "web-0");
    assertThat(request.secretsJson()).isEqualTo("{}");
    assertThat(request.currentVersions()).isEqualTo(mounted);
    assertThat(request.rotationCall()).isTrue();
    assertThat(request.toMountCall().currentVersions()).isEqualTo(mounted);
  }

  @Test
  void v15RotationCallSendsTheNodePublishSecretData() {
    NodePublishSecretFile secret =
        NodePublishSecretFile.read(TestFiles.resource("node-publish-secret.yaml"));

    DriverRequest request =
        new DriverRequestBuilder(spcV1, pod, Path.of("/t"))
            .nodePublishSecret(secret)
            .v15Rotation(List.of());

    assertThat(request.secrets()).containsOnlyKeys("clientid", "clientsecret", "shared");
  }

  @Test
  void toStringShowsKeysButNoTokenOrSecretValue() throws Exception {
    String jwt = TestFiles.jwt("eyJcanary", EXP);
    ServiceAccountTokenFiles tokens =
        ServiceAccountTokenFiles.read(
            Map.of("vault", TestFiles.write(dir, "a", jwt)), Instant.now());
    DriverRequest request =
        new DriverRequestBuilder(spcV1, pod, Path.of("/t"))
            .tokens(tokens, true)
            .nodePublishSecret(
                NodePublishSecretFile.read(TestFiles.resource("node-publish-secret.yaml")))
            .publish();

    assertThat(request.toString() + request.toMountCall() + tokens)
        .contains("csi.storage.k8s.io/serviceAccount.tokens")
        .doesNotContain("eyJcanary")
        .doesNotContain("S3CR3T");
  }
}
