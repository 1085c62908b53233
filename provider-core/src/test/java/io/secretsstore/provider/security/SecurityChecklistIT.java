// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.mount.FilePaths;
import io.secretsstore.provider.testing.Attributes;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import io.secretsstore.provider.testing.TestBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows 1, 2, 7, 8, 9, 10, 11, 19, 36 and 37 of the security checklist (security.md section 4),
 * through the real Unix socket and the real server. Rows 33 and 34 are in {@code ProviderServerIT}.
 * Every request carries the canaries: a pod token, a secret value the backend holds, and a
 * nodePublishSecretRef value. Logs are captured at TRACE, the highest level (row 36).
 */
class SecurityChecklistIT {
  private static final String NODE_PUBLISH = "{\"clientsecret\":\"" + Canaries.NODE_PUBLISH + "\"}";
  private static final TestBackend BACKEND = new TestBackend();
  private static ProviderFixture provider;

  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void start() throws Exception {
    provider = ProviderFixture.start(BACKEND);
  }

  @AfterAll
  static void stop() throws Exception {
    provider.close();
  }

  private static String object(String name, String extra) {
    return "{\"name\":\"" + name + "\",\"content\":\"" + Canaries.SECRET + "\"" + extra + "}";
  }

  private static String objects(String... objects) {
    return "[" + String.join(",", objects) + "]";
  }

  private static ProviderClient.MountCall call(String attributes, String permission) {
    return new ProviderClient.MountCall(
        attributes,
        NODE_PUBLISH,
        "/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/v/mount",
        permission,
        List.of());
  }

  private static String withObjects(String objects) {
    return Attributes.forPod().with("objects", objects).json();
  }

  /**
   * Sends a request that must fail: checks the code, that nothing came back, no backend call, no
   * canary.
   */
  private void assertRejected(ProviderClient.MountCall call, String code) {
    int fetchesBefore = BACKEND.fetches();
    assertThatThrownBy(() -> provider.client().mount(call, Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            ProviderCallException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              for (String canary : Canaries.all()) {
                assertThat(e.description()).doesNotContain(canary);
              }
            });
    assertThat(BACKEND.fetches()).as("no backend call before validation").isEqualTo(fetchesBefore);
    logs.assertNoCanary(Canaries.all());
  }

  static Stream<Arguments> row1_attributesNotAStringMap() {
    return Stream.of(
        Arguments.of("not json"),
        Arguments.of("[\"a\",\"b\"]"),
        Arguments.of(Canaries.TOKEN),
        Arguments.of("{\"objects\":\"" + Canaries.SECRET + "\""),
        Arguments.of("{\"k\":{\"token\":\"" + Canaries.TOKEN + "\"}}"));
  }

  @ParameterizedTest
  @MethodSource
  void row1_attributesNotAStringMap(String attributes) {
    assertRejected(call(attributes, "420"), "INVALID_ARGUMENT");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"abc", "-1", "512", "0o644"})
  void row2_badPermission(String permission) {
    assertRejected(call(withObjects(objects(object("a", ""))), permission), "INVALID_ARGUMENT");
  }

  @Test
  void row7_unknownTopLevelAttributes_areAccepted() {
    String attributes =
        Attributes.forPod()
            .with("objects", objects(object("a", "")))
            .with("foo", "bar")
            .with("csi.storage.k8s.io/ephemeral", "true")
            .json();
    MountReply reply = provider.client().mount(call(attributes, "420"), Duration.ofSeconds(10));
    assertThat(reply.files()).hasSize(1);
    logs.assertNoCanary(Canaries.all());
  }

  static Stream<String> row8_badPaths() {
    return Stream.of(
        "../x",
        "..",
        ".",
        "/abs",
        "a/../b",
        "..data",
        "x/",
        "a//b",
        "",
        "a\\u0000b",
        "a\\\\b",
        "x".repeat(256),
        "a/".repeat(2100) + "a");
  }

  @ParameterizedTest
  @MethodSource
  void row8_badPaths(String path) {
    assertRejected(
        call(withObjects(objects(object("a", ",\"path\":\"" + path + "\""))), "420"),
        "INVALID_ARGUMENT");
  }

  @Test
  void row9_duplicatePathsAndFileDirectoryClash() {
    assertRejected(
        call(
            withObjects(objects(object("a", ",\"path\":\"p\""), object("b", ",\"path\":\"p\""))),
            "420"),
        "INVALID_ARGUMENT");
    assertRejected(
        call(withObjects(objects(object("a", ""), object("a", ""))), "420"), "INVALID_ARGUMENT");
    assertRejected(
        call(withObjects(objects(object("a", ""), object("b", ",\"path\":\"a/b\""))), "420"),
        "INVALID_ARGUMENT");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"4755", "0778", "99999", "-1", "rw-r--r--"})
  void row10_badFileModes(String mode) {
    assertRejected(
        call(withObjects(objects(object("a", ",\"mode\":\"" + mode + "\""))), "420"),
        "INVALID_ARGUMENT");
  }

  @Test
  void row10_mode0600_becomes384() {
    MountReply reply =
        provider
            .client()
            .mount(
                call(withObjects(objects(object("a", ",\"mode\":\"0600\""))), "420"),
                Duration.ofSeconds(10));
    assertThat(reply.files().get(0).mode()).isEqualTo(384);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "csi.storage.k8s.io/pod.name", "csi.storage.k8s.io/pod.namespace",
        "csi.storage.k8s.io/pod.uid", "csi.storage.k8s.io/serviceAccount.name"
      })
  void row11_missingPodAttributes(String key) {
    assertRejected(
        call(
            Attributes.forPod().with("objects", objects(object("a", ""))).without(key).json(),
            "420"),
        "INVALID_ARGUMENT");
  }

  @Test
  void row19_requestOver4MiB_isResourceExhaustedFromTheServerLimit() {
    String huge = "x".repeat(4 * 1024 * 1024 + 1);
    assertRejected(
        call(
            Attributes.forPod().with("objects", objects(object("a", ""))).with("pad", huge).json(),
            "420"),
        "RESOURCE_EXHAUSTED");
    // The server is still healthy afterwards.
    assertThat(provider.client().version(Duration.ofSeconds(5)).version()).isEqualTo("v1alpha1");
  }

  @Test
  void row36_failuresInsideTheBackend_leakNothingAtTrace() {
    assertThatThrownBy(
            () ->
                provider
                    .client()
                    .mount(
                        call(
                            withObjects(
                                objects(
                                    object("a", ""),
                                    object("b", ",\"fail\":\"PERMISSION_DENIED\""))),
                            "420"),
                        Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            ProviderCallException.class, e -> assertThat(e.code()).isEqualTo("PERMISSION_DENIED"));
    assertThatThrownBy(
            () ->
                provider
                    .client()
                    .mount(
                        call(
                            Attributes.forPod()
                                .with("objects", objects(object("a", "")))
                                .with("audience", "other")
                                .json(),
                            "420"),
                        Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            ProviderCallException.class,
            e -> {
              assertThat(e.code()).isEqualTo("UNAUTHENTICATED");
              assertThat(e.description()).contains("\"other\"").doesNotContain(Canaries.TOKEN);
            });
    logs.assertNoCanary(Canaries.all());
  }

  @Test
  void row37_success_oneVersionPerObject_filesNonEmpty_pathsValid() {
    MountReply reply =
        provider
            .client()
            .mount(
                call(
                    withObjects(
                        objects(
                            object("a", ""),
                            object("b", ",\"path\":\"dir/b\""),
                            object("c", ",\"version\":\"7\""))),
                    "420"),
                Duration.ofSeconds(10));
    assertThat(reply.versions()).hasSize(3);
    assertThat(reply.versions().stream().map(v -> v.id()).collect(Collectors.toSet()))
        .isEqualTo(Set.of("a", "b", "c"));
    assertThat(reply.versions()).allSatisfy(v -> assertThat(v.version()).isNotEmpty());
    assertThat(reply.files())
        .hasSize(3)
        .allSatisfy(
            f -> {
              assertThat(FilePaths.providerViolation(f.path())).isEmpty();
              assertThat(f.mode()).isEqualTo(420);
              assertThat(new String(f.contents(), StandardCharsets.UTF_8))
                  .isEqualTo(Canaries.SECRET);
            });
    assertThat(reply.errorCode()).isEmpty();
    logs.assertNoCanary(Canaries.all());
  }
}
