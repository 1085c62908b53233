// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18 point 13: path parameters cannot climb to another Vault API path, and methods only read.
 */
class VaultPathsTest {
  private static Map<String, String> params(String key, String value) {
    Map<String, String> map = new HashMap<>();
    map.put("roleName", "app");
    map.put("objects", "- {objectName: a, secretPath: secret/data/a}");
    map.put(key, value);
    return map;
  }

  private static void assertInvalidNaming(Map<String, String> params, String key) {
    assertThatThrownBy(() -> VaultParameters.parse(params, "/target"))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.getMessage()).startsWith(key);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../sys/x",
        "kubernetes/..",
        "..",
        "%2e%2e/sys",
        "%2E%2e/sys",
        "kube/.%2E/x",
        "%2e./x",
        "%252e%252e/sys",
        "%25252e%25252e/x",
        "a\\..\\b",
        "kube\n",
        "a/%2E%2E"
      })
  void mountPaths_withDotDotSegments_areInvalidArgumentsNamingTheKey(String mount) {
    assertInvalidNaming(params("vaultKubernetesMountPath", mount), "vaultKubernetesMountPath");
    assertInvalidNaming(params("vaultAuthMountPath", mount), "vaultAuthMountPath");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"kubernetes", "kubernetes/cluster-1", "jwt_oidc", "k8s.prod", "./kubernetes"})
  void ordinaryMountPaths_areAccepted(String mount) {
    assertThat(
            VaultParameters.parse(params("vaultKubernetesMountPath", mount), "/target").authMount())
        .isEqualTo(mount);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ns1/../root",
        "%2e%2e",
        "team a",
        "team\r\nX-Vault-Token: t",
        "ns?x",
        "caf\u00e9"
      })
  void malformedNamespaces_areInvalidArgumentsNamingTheKey(String namespace) {
    assertInvalidNaming(params("vaultNamespace", namespace), "vaultNamespace");
  }

  @ParameterizedTest
  @ValueSource(strings = {"admin", "admin/team-a", "team_b.prod"})
  void ordinaryNamespaces_areAccepted(String namespace) {
    assertThat(VaultParameters.parse(params("vaultNamespace", namespace), "/target").namespace())
        .isEqualTo(namespace);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "secret/../sys/policy/x",
        "../sys/mounts",
        "secret/%2e%2e/sys/x",
        "secret/%2E%2E%2Fsys",
        "/v1/secret/.%2e/auth/token/create",
        "secret/%252E%252E/x?version=1"
      })
  void secretPaths_withDotDotSegments_areRefusedNamingTheKey(String path) {
    SecretConfig config =
        VaultParameters.parse(
                params("objects", "- {objectName: a, secretPath: '" + path + "'}"), "/t")
            .objects()
            .get(0);
    assertThatThrownBy(() -> SecretRequest.of(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("secretPath");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"secret/data/app?version=..", "secret/./data/app", "database/creds/ro..le"})
  void secretPaths_withoutDotDotSegments_areAccepted(String path) {
    SecretConfig config =
        VaultParameters.parse(
                params("objects", "- {objectName: a, secretPath: '" + path + "'}"), "/t")
            .objects()
            .get(0);
    assertThat(SecretRequest.of(config).path()).startsWith("/v1/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"DELETE", "LIST", "delete", "PATCH", "HEAD", "OPTIONS", "TRACE"})
  void methodsThatDoNotRead_areInvalidArguments(String method) {
    assertInvalidNaming(
        params("objects", "- {objectName: a, secretPath: x, method: " + method + "}"),
        "objects[0]");
    assertThatThrownBy(
            () ->
                VaultParameters.parse(
                    params("objects", "- {objectName: a, secretPath: x, method: " + method + "}"),
                    "/t"))
        .hasMessageContaining("method must be GET, PUT or POST");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "PUT", "POST", "put", "Post"})
  void readMethods_areSentInUpperCase(String method) {
    SecretConfig config =
        VaultParameters.parse(
                params("objects", "- {objectName: a, secretPath: x, method: " + method + "}"), "/t")
            .objects()
            .get(0);
    assertThat(SecretRequest.of(config).method())
        .isEqualTo(method.toUpperCase(java.util.Locale.ROOT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://vault.example:8200/..", "http://vault.example:8200/a/%2e%2e"})
  void addressPaths_withDotDotSegments_areInvalidArguments(String address) {
    assertInvalidNaming(params("vaultAddress", address), "vaultAddress");
  }
}
