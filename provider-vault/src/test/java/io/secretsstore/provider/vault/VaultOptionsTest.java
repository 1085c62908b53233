// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.Backends;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Registration, flags, and the precedence env < flags. */
class VaultOptionsTest {
  @Test
  void registered_asTheOnlyPublicVaultBackend() {
    BackendFactory backend = Backends.named(Backends.discover(), "vault");
    assertThat(backend).isInstanceOf(VaultBackendFactory.class);
    assertThat(backend.options()).isInstanceOf(VaultOptions.class);
  }

  private static VaultOptions parse(String... args) {
    VaultOptions options = new VaultOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void defaults_matchUpstream() {
    VaultSettings settings = parse().settings(Map.of());
    assertThat(settings.address()).isEqualTo("https://127.0.0.1:8200");
    assertThat(settings.authMount()).isEqualTo("kubernetes");
    assertThat(settings.hmacSecretName()).isEqualTo("vault-csi-provider-hmac-key");
    assertThat(settings.cacheSize()).isEqualTo(1000);
    assertThat(settings.leaseRevokeAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.pkiReuseFraction()).isEqualTo(0.66);
    assertThat(settings.allowTokenRequest()).isFalse();
    assertThat(settings.tls()).isEqualTo(TlsConfig.NONE);
  }

  @Test
  void flags_overrideTheEnvironment_tlsLayersAdd() {
    Map<String, String> env =
        Map.of(
            "VAULT_ADDR",
            "http://env:8200",
            "VAULT_NAMESPACE",
            "env-ns",
            "VAULT_CACERT",
            "/env/ca.pem",
            "VAULT_SKIP_VERIFY",
            "true",
            "VAULT_TOKEN",
            "never-used");
    VaultSettings fromEnv = parse().settings(env);
    assertThat(fromEnv.address()).isEqualTo("http://env:8200");
    assertThat(fromEnv.namespace()).isEqualTo("env-ns");
    assertThat(fromEnv.tls().caCert()).isEqualTo("/env/ca.pem");
    assertThat(fromEnv.tls().skipVerify()).isTrue();
    VaultSettings flags =
        parse(
                "--vault-addr",
                "https://flag:8200",
                "--vault-namespace",
                "flag-ns",
                "--vault-tls-ca-cert",
                "/flag/ca.pem",
                "--vault-mount",
                "jwt",
                "--hmac-secret-name",
                "upstream-hmac",
                "--hmac-secret-namespace",
                "csi",
                "--vault-allowed-addresses",
                "https://a:8200,https://B:8200/",
                "--vault-lease-revoke-after",
                "90s",
                "--vault-pki-reuse-fraction",
                "0.5")
            .settings(env);
    assertThat(flags.address()).isEqualTo("https://flag:8200");
    assertThat(flags.namespace()).isEqualTo("flag-ns");
    assertThat(flags.authMount()).isEqualTo("jwt");
    assertThat(flags.tls().caCert()).isEqualTo("/flag/ca.pem");
    assertThat(flags.hmacSecretName()).isEqualTo("upstream-hmac");
    assertThat(flags.hmacSecretNamespace()).isEqualTo("csi");
    assertThat(flags.allowedAddresses()).isEqualTo(List.of("https://a:8200", "https://b:8200"));
    assertThat(flags.leaseRevokeAfter()).isEqualTo(Duration.ofSeconds(90));
    assertThat(flags.pkiReuseFraction()).isEqualTo(0.5);
  }

  @Test
  void clientCertificateWithoutKey_isRefusedAtStart() {
    assertThatThrownBy(() -> parse("--vault-tls-client-cert", "/c.pem").settings(Map.of()))
        .hasMessageContaining("both client cert and client key must be provided");
  }
}
