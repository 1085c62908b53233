// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.testing.Attributes;
import io.secretsstore.provider.testing.Canaries;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MountRequestContextTest {
  private static final String TOKENS_KEY = "csi.storage.k8s.io/serviceAccount.tokens";

  private static MountRequestContext parse(String attributes, String secrets, String permission) {
    return MountRequestContext.parse(
        attributes,
        secrets,
        "/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/v/mount",
        permission,
        List.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "", "{}", " null "})
  void parse_secretsWithoutData_givesNoNodePublishSecrets(String secrets) {
    MountRequestContext context = parse(Attributes.forPod().json(), secrets, "420");
    assertThat(context.nodePublishSecrets()).isEmpty();
  }

  @Test
  void parse_secretsMap_keepsNodePublishData() {
    MountRequestContext context =
        parse(
            Attributes.forPod().json(),
            "{\"clientsecret\":\"" + Canaries.NODE_PUBLISH + "\"}",
            "420");
    assertThat(context.nodePublishSecrets()).containsEntry("clientsecret", Canaries.NODE_PUBLISH);
    assertThat(context.toString())
        .doesNotContain(Canaries.NODE_PUBLISH)
        .doesNotContain(Canaries.TOKEN);
  }

  @Test
  void parse_tokensInSecrets_takesThemFromThereAndKeepsThemOutOfNodePublishData() {
    String attributes = Attributes.forPod().without(TOKENS_KEY).json();
    String tokens = Canaries.tokensJson("vault").replace("\"", "\\\"");
    MountRequestContext context =
        parse(attributes, "{\"" + TOKENS_KEY + "\":\"" + tokens + "\",\"k\":\"v\"}", "420");
    assertThat(context.tokens().audiences()).containsExactly("vault");
    assertThat(context.nodePublishSecrets()).containsOnlyKeys("k");
  }

  @Test
  void parse_tokensAbsent_givesNoAudiences_andRequireIsUnauthenticated() {
    MountRequestContext context =
        parse(Attributes.forPod().without(TOKENS_KEY).json(), "null", "420");
    assertThat(context.tokens().audiences()).isEmpty();
    assertThatThrownBy(() -> context.tokens().require("vault", Instant.now()))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED))
        .hasMessageContaining("\"vault\"");
  }

  @Test
  void parse_severalAudiences_eachUsable() {
    String tokens =
        "{\"a\":{\"token\":\""
            + Canaries.TOKEN
            + "\",\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"},"
            + "\"b\":{\"token\":\"t2\",\"expirationTimestamp\":\"2099-01-01T00:00:00+02:00\"}}";
    MountRequestContext context =
        parse(Attributes.forPod().with(TOKENS_KEY, tokens).json(), "null", "420");
    assertThat(context.tokens().require("a", Instant.now()).value()).isEqualTo(Canaries.TOKEN);
    assertThat(context.tokens().require("b", Instant.now()).toString()).doesNotContain("t2");
  }

  @Test
  void require_expiredOrEmptyOrUnparseableToken_isUnauthenticatedWithoutTheToken() {
    String tokens =
        "{\"old\":{\"token\":\""
            + Canaries.TOKEN
            + "\",\"expirationTimestamp\":\"2001-01-01T00:00:00Z\"},"
            + "\"empty\":{\"token\":\"\",\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"},"
            + "\"bad\":{\"token\":\""
            + Canaries.TOKEN
            + "\",\"expirationTimestamp\":\"tomorrow\"}}";
    MountRequestContext context =
        parse(Attributes.forPod().with(TOKENS_KEY, tokens).json(), "null", "420");
    for (String audience : List.of("old", "empty", "bad", "absent")) {
      assertThatThrownBy(() -> context.tokens().require(audience, Instant.now()))
          .isInstanceOfSatisfying(
              ProviderException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED))
          .message()
          .doesNotContain(Canaries.TOKEN)
          .contains(audience);
    }
  }

  @Test
  void parse_permission420_isDefaultMode0644() {
    assertThat(parse(Attributes.forPod().json(), "null", "420").defaultMode().bits())
        .isEqualTo(0644);
    assertThat(parse(Attributes.forPod().json(), "null", "").defaultMode())
        .isEqualTo(FileMode.DEFAULT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "512", "0o644", "4.2", "1e2"})
  void parse_badPermission_isInvalidArgumentNamingTheField(String permission) {
    assertThatThrownBy(() -> parse(Attributes.forPod().json(), "null", permission))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
        .hasMessageContaining("permission")
        .message()
        .doesNotContain(permission);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[1,2]",
        "\"str\"",
        Canaries.TOKEN,
        "{\"a\":",
        "{\"a\":1}",
        "{\"a\":\"b\"} trailing"
      })
  void parse_attributesNotAStringObject_isInvalidArgumentWithoutSnippet(String attributes) {
    assertThatThrownBy(() -> parse(attributes, "null", "420"))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
        .hasMessageContaining("attributes")
        .message()
        .doesNotContain(Canaries.TOKEN)
        .doesNotContain("json")
        .doesNotContain("trailing");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "csi.storage.k8s.io/pod.name", "csi.storage.k8s.io/pod.namespace",
        "csi.storage.k8s.io/pod.uid", "csi.storage.k8s.io/serviceAccount.name"
      })
  void parse_missingPodAttribute_isInvalidArgumentNamingIt(String key) {
    assertThatThrownBy(() -> parse(Attributes.forPod().without(key).json(), "null", "420"))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
        .hasMessageContaining(key);
  }

  @Test
  void parse_invalidPodNamespace_isRejectedWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                parse(
                    Attributes.forPod().with("csi.storage.k8s.io/pod.namespace", "Bad_NS!").json(),
                    "null",
                    "420"))
        .isInstanceOf(ProviderException.class)
        .message()
        .contains("pod.namespace")
        .doesNotContain("Bad_NS!");
  }

  @Test
  void parse_unknownTopLevelAttributes_areAccepted() {
    MountRequestContext context =
        parse(
            Attributes.forPod()
                .with("foo", "bar")
                .with("csi.storage.k8s.io/ephemeral", "true")
                .json(),
            "null",
            "420");
    assertThat(context.attribute("foo")).contains("bar");
    assertThat(context.pod().namespace()).isEqualTo("team-a");
  }

  @Test
  void parse_currentObjectVersions_areKept() {
    MountRequestContext context =
        MountRequestContext.parse(
            Attributes.forPod().json(),
            "{}",
            "/t",
            "420",
            List.of(new ObjectVersion("secret/a", "v1")));
    assertThat(context.currentVersions()).containsExactly(new ObjectVersion("secret/a", "v1"));
  }

  @Test
  void toString_showsNoTokenOrSecret() {
    MountRequestContext context =
        parse(
            Attributes.forPod().with("objects", Canaries.SECRET).json(),
            "{\"k\":\"" + Canaries.NODE_PUBLISH + "\"}",
            "420");
    assertThat(context.toString())
        .doesNotContain(Canaries.TOKEN, Canaries.SECRET, Canaries.NODE_PUBLISH);
  }
}
