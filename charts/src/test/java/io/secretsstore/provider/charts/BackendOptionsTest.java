// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.charts.Manifests.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backends' operator opt-ins (issue 19 section 1) rendered into their flags, mounts and notes.
 */
class BackendOptionsTest {
  private static List<String> args(Manifests m, String kind) {
    return m.one(kind).at("spec.template.spec.containers.0.args").strings();
  }

  private static List<String> flagsOf(List<String> args, String prefix) {
    return args.stream().filter(a -> a.startsWith(prefix)).toList();
  }

  @Test
  void azure_servicePrincipalIsAllowedByDefault_andOneValueTurnsItOff() {
    Manifests defaults = Charts.render(Backend.AZURE, "sync: {enabled: true}");
    for (String kind : List.of("DaemonSet", "Deployment")) {
      assertThat(flagsOf(args(defaults, kind), "--azure-"))
          .as(kind)
          .containsExactly("--azure-allow-service-principal=true");
    }

    Manifests off =
        Charts.render(
            Backend.AZURE, "{azure: {allowServicePrincipal: false}, sync: {enabled: true}}");
    for (String kind : List.of("DaemonSet", "Deployment")) {
      assertThat(flagsOf(args(off, kind), "--azure-"))
          .as(kind)
          .containsExactly("--azure-allow-service-principal=false");
    }
  }

  @Test
  void azure_managedIdentityIsAnOptIn() {
    assertThat(
            flagsOf(
                args(
                    Charts.render(Backend.AZURE, "azure: {enableManagedIdentity: true}"),
                    "DaemonSet"),
                "--azure-"))
        .containsExactly(
            "--azure-allow-service-principal=true", "--azure-enable-managed-identity=true");
  }

  @Test
  void azure_podIdentityIsAnOptIn_thatNeedsAnNmiAddressThePodCanReach() {
    assertThat(
            flagsOf(
                args(
                    Charts.render(
                        Backend.AZURE,
                        "azure: {podIdentity: {enabled: true, endpoint: 'http://10.0.0.1:2579/host/token/'}}"),
                    "DaemonSet"),
                "--azure-"))
        .containsExactly(
            "--azure-allow-service-principal=true",
            "--azure-enable-pod-identity=true",
            "--azure-pod-identity-endpoint=http://10.0.0.1:2579/host/token/");
    assertThatThrownBy(() -> Charts.render(Backend.AZURE, "azure: {podIdentity: {enabled: true}}"))
        .hasMessageContaining("azure.podIdentity.endpoint is required");
    assertThatThrownBy(
            () ->
                Charts.render(
                    Backend.AZURE, "azure: {podIdentity: {enabled: true, endpoint: 'nmi:2579'}}"))
        .hasMessageContaining("schema");
  }

  @Test
  void azure_andAws_haveNoTokenRequestValue() {
    for (Backend backend : List.of(Backend.AZURE, Backend.AWS)) {
      assertThatThrownBy(() -> Charts.render(backend, "tokenRequest: {enabled: true}"))
          .as(backend.id())
          .hasMessageContaining("additional properties 'tokenRequest' not allowed");
    }
  }

  @Test
  void vault_tlsFileDirs_mountEachSecretOrConfigMapAndListTheDirectoriesInTheFlag() {
    Manifests m =
        Charts.render(
            Backend.VAULT,
            """
        sync: {enabled: true}
        vault:
          tlsFileDirs:
            - {path: /etc/vault-tls/team-a, secretName: team-a-tls}
            - {path: /etc/vault-tls/ca, configMapName: vault-ca-bundle}
        """);

    for (String kind : List.of("DaemonSet", "Deployment")) {
      Node spec = m.one(kind).at("spec.template.spec");
      assertThat(flagsOf(args(m, kind), "--vault-spc-file-dirs"))
          .as(kind)
          .containsExactly("--vault-spc-file-dirs=/etc/vault-tls/team-a,/etc/vault-tls/ca");
      assertThat(spec.get("volumes").named("vault-files-0").value())
          .isEqualTo(Map.of("name", "vault-files-0", "secret", Map.of("secretName", "team-a-tls")));
      assertThat(spec.get("volumes").named("vault-files-1").value())
          .isEqualTo(
              Map.of("name", "vault-files-1", "configMap", Map.of("name", "vault-ca-bundle")));
      Node mounts = spec.at("containers.0.volumeMounts");
      assertThat(mounts.named("vault-files-0").value())
          .isEqualTo(
              Map.of(
                  "name", "vault-files-0", "mountPath", "/etc/vault-tls/team-a", "readOnly", true));
      assertThat(mounts.named("vault-files-1").get("mountPath").string())
          .isEqualTo("/etc/vault-tls/ca");
    }
    assertThat(
            flagsOf(args(Charts.render(Backend.VAULT, "{}"), "DaemonSet"), "--vault-spc-file-dirs"))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vault: {tlsFileDirs: [{path: relative, secretName: s}]}",
        "vault: {tlsFileDirs: [{path: /etc/a/../b, secretName: s}]}",
        "vault: {tlsFileDirs: [{path: '/etc/a,/etc/b', secretName: s}]}",
        "vault: {tlsFileDirs: [{path: /etc/a}]}",
        "vault: {tlsFileDirs: [{path: /etc/a, secretName: s, configMapName: c}]}",
        "vault: {tlsFileDirs: [{path: /etc/a, secret: s}]}",
      })
  void vault_tlsFileDirs_needAnAbsoluteCleanPathAndExactlyOneSource(String values) {
    assertThatThrownBy(() -> Charts.render(Backend.VAULT, values)).hasMessageContaining("schema");
  }

  @Test
  void vault_skipTlsVerifyIsAnOptIn() {
    assertThat(args(Charts.render(Backend.VAULT, "{}"), "DaemonSet"))
        .doesNotContain("--vault-allow-skip-tls-verify");
    assertThat(args(Charts.render(Backend.VAULT, "vault: {allowSkipTLSVerify: true}"), "DaemonSet"))
        .contains("--vault-allow-skip-tls-verify");
  }

  @Test
  void vault_mintsPodTokensByDefaultLikeUpstream_andTheValueTurnsItOff() {
    Manifests defaults = Charts.render(Backend.VAULT, "sync: {enabled: true}");
    for (String kind : List.of("DaemonSet", "Deployment")) {
      assertThat(args(defaults, kind)).as(kind).contains("--vault-allow-token-request");
    }
    assertThat(args(Charts.render(Backend.VAULT, "tokenRequest: {enabled: false}"), "DaemonSet"))
        .doesNotContain("--vault-allow-token-request");
  }

  @Test
  void gcp_tokenRequestPassesItsFlag() {
    assertThat(args(Charts.render(Backend.GCP, "{}"), "DaemonSet"))
        .doesNotContain("--gcp-allow-token-request");
    Manifests on =
        Charts.render(Backend.GCP, "{tokenRequest: {enabled: true}, sync: {enabled: true}}");
    for (String kind : List.of("DaemonSet", "Deployment")) {
      assertThat(args(on, kind)).as(kind).contains("--gcp-allow-token-request");
    }
  }

  @Test
  void gcp_notesNameTheProjectsIdentityPoolWhenTheProjectIsSet() {
    assertThat(Charts.notes(Backend.GCP, "gcpProject: my-project"))
        .contains("    - audience: my-project.svc.id.goog")
        .doesNotContain("<PROJECT_ID>");
    assertThat(Charts.notes(Backend.GCP, "{}"))
        .contains("    - audience: <PROJECT_ID>.svc.id.goog");
  }

  @Test
  void notesSayWhenTheProviderMintsTokensAndWhichFlagDoes() {
    assertThat(Charts.notes(Backend.VAULT, "{}"))
        .contains("tokenRequest.enabled is true (--vault-allow-token-request)");
    assertThat(Charts.notes(Backend.VAULT, "tokenRequest: {enabled: false}"))
        .doesNotContain("tokenRequest.enabled");
    assertThat(Charts.notes(Backend.GCP, "tokenRequest: {enabled: true}"))
        .contains("(--gcp-allow-token-request)");
    assertThat(Charts.notes(Backend.AWS, "{}")).doesNotContain("tokenRequest.enabled");
  }
}
