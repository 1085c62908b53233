// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.testing.Canaries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes facade against fabric8's mock API server. */
class KubeIT {
  private KubernetesMockServer server;
  private KubernetesClient client;

  private void crud() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
  }

  private void expectations() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void getOrCreate_createsAnImmutableSecretOnce_andReturnsTheSameKeyAfterwards() {
    crud();
    ImmutableSecrets secrets = new ImmutableSecrets(client);
    AtomicInteger generated = new AtomicInteger();
    byte[] first =
        secrets.getOrCreate(
            "csi",
            "hmac",
            "key",
            () -> {
              generated.incrementAndGet();
              return new byte[] {1, 2, 3};
            });
    byte[] second = secrets.getOrCreate("csi", "hmac", "key", () -> new byte[] {9});
    assertThat(first).containsExactly(1, 2, 3);
    assertThat(second).containsExactly(1, 2, 3);
    assertThat(generated.get()).isEqualTo(1);
    Secret stored = client.secrets().inNamespace("csi").withName("hmac").get();
    assertThat(stored.getImmutable()).isTrue();
  }

  @Test
  void getOrCreate_concurrentCreators_allEndUpWithOneKey() {
    crud();
    ImmutableSecrets secrets = new ImmutableSecrets(client);
    List<CompletableFuture<byte[]>> racers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte value = (byte) i;
      racers.add(
          CompletableFuture.supplyAsync(
              () -> secrets.getOrCreate("csi", "hmac", "key", () -> new byte[] {value})));
    }
    assertThat(racers.stream().map(r -> r.join()[0]).distinct().count()).isEqualTo(1);
  }

  @Test
  void getOrCreate_secretWithoutTheKey_failsNamingTheSecretAndTheFix() {
    crud();
    client
        .secrets()
        .inNamespace("csi")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("hmac")
                .endMetadata()
                .withData(Map.of("other", "AQID"))
                .build())
        .create();
    assertThatThrownBy(
            () ->
                new ImmutableSecrets(client)
                    .getOrCreate("csi", "hmac", "key", () -> new byte[] {1}))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessageContaining("csi/hmac")
        .hasMessageContaining("delete it");
  }

  @Test
  void getOrCreate_forbidden_isAFailedPreconditionAboutRbac() {
    expectations();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/csi/secrets/hmac")
        .andReturn(403, "{}")
        .always();
    assertThatThrownBy(
            () ->
                new ImmutableSecrets(client)
                    .getOrCreate("csi", "hmac", "key", () -> new byte[] {1}))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessageContaining("RBAC");
  }

  @Test
  void mint_requestsABoundTokenForTheAudience_andNeverPrintsIt() throws Exception {
    expectations();
    TokenRequest response =
        new TokenRequestBuilder()
            .withNewStatus()
            .withToken(Canaries.TOKEN)
            .withExpirationTimestamp("2099-01-01T00:00:00Z")
            .endStatus()
            .build();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/team-a/serviceaccounts/app/token")
        .andReturn(201, response)
        .once();
    PodIdentity pod = new PodIdentity("team-a", "app-7d4f9", "0b7c3e52", "app");
    ServiceAccountToken token = new TokenRequests(client).mint(pod, "vault");
    assertThat(token.value()).isEqualTo(Canaries.TOKEN);
    assertThat(token.expiresAt()).isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
    assertThat(token.toString()).doesNotContain(Canaries.TOKEN);
    String body = server.getLastRequest().getBody().readUtf8();
    assertThat(body)
        .contains("\"audiences\":[\"vault\"]")
        .contains("\"kind\":\"Pod\"")
        .contains("\"uid\":\"0b7c3e52\"")
        .contains("\"expirationSeconds\":900");
  }
}
