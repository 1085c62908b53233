// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vault backend reads its HMAC key Secret and mints pod tokens through the process's one
 * Kubernetes client, created by the first mount that needs it; with a key file and the pods' own
 * tokens it never creates one.
 */
class VaultSharedKubeClientIT {
  private static final String OBJECTS =
      "- {objectName: u, secretPath: secret/data/app/db, secretKey: username}";
  private VaultTestBed bed;
  private KubernetesMockServer kubeServer;
  private final AtomicInteger built = new AtomicInteger();
  private SharedKubeClient kube;

  @BeforeEach
  void start() throws Exception {
    bed = new VaultTestBed();
    bed.vault.putKv2("", "secret", "app/db", Map.of("username", "app-user"));
    kubeServer = VaultTestBed.apiServerWithHmacKey();
    kubeServer
        .expect()
        .post()
        .withPath("/api/v1/namespaces/team-a/serviceaccounts/app/token")
        .andReturn(
            201,
            new TokenRequestBuilder()
                .withNewStatus()
                .withToken(bed.jwt("app", "vault"))
                .withExpirationTimestamp(Instant.now().plusSeconds(900).toString())
                .endStatus()
                .build())
        .always();
    kube =
        SharedKubeClient.lazy(
            () -> {
              built.incrementAndGet();
              return kubeServer.createClient();
            });
  }

  @AfterEach
  void stop() throws Exception {
    kube.close();
    kubeServer.destroy();
    bed.close();
  }

  private BackendContext context() {
    return new BackendContext(Clock.systemUTC(), new CredentialCache(Clock.systemUTC(), 1000))
        .withKube(kube);
  }

  @Test
  void hmacKeySecretAndMintedTokens_shareOneClient_createdOnTheFirstMount() throws Exception {
    VaultBackend backend =
        VaultBackend.start(
            bed.settings().withAllowances(true, false, java.util.List.of(), java.util.List.of()),
            context());
    assertThat(built).as("starting reads nothing from the cluster").hasValue(0);
    Map<String, String> attributes = bed.attributes(OBJECTS);
    attributes.remove("csi.storage.k8s.io/serviceAccount.tokens");
    attributes.put("audience", "vault");
    try (backend;
        ProviderFixture provider = ProviderFixture.start(backend, VaultTestBed.FAST)) {
      for (int i = 0; i < 2; i++) {
        assertThat(
                new String(
                    provider
                        .client()
                        .mount(VaultTestBed.call(attributes), Duration.ofSeconds(20))
                        .files()
                        .get(0)
                        .contents(),
                    StandardCharsets.UTF_8))
            .isEqualTo("app-user");
      }
    }
    assertThat(kubeServer.getRequestCount())
        .as("the key Secret was read and a token minted")
        .isGreaterThanOrEqualTo(2);
    assertThat(built).as("both through one client").hasValue(1);
    assertThat(kube.created()).isEqualTo(1);
  }

  @Test
  void keyFileAndThePodsOwnTokens_needNoCluster() throws Exception {
    Path keyFile = Files.createTempFile("vault-hmac", ".key");
    try {
      Files.write(keyFile, new byte[32]);
      VaultBackend backend = VaultBackend.start(bed.settings(), keyFile, context());
      try (backend;
          ProviderFixture provider = ProviderFixture.start(backend, VaultTestBed.FAST)) {
        assertThat(
                new String(
                    provider
                        .client()
                        .mount(VaultTestBed.call(bed.attributes(OBJECTS)), Duration.ofSeconds(20))
                        .files()
                        .get(0)
                        .contents(),
                    StandardCharsets.UTF_8))
            .isEqualTo("app-user");
      }
      assertThat(built).hasValue(0);
      assertThat(kubeServer.getRequestCount()).isZero();
    } finally {
      Files.delete(keyFile);
    }
  }
}
