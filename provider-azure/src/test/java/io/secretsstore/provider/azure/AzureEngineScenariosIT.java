// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static io.secretsstore.provider.azure.AzureTestBed.call;
import static io.secretsstore.provider.azure.AzureTestBed.objects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.azure.AzureEmulator;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core's engine scenarios with the real backend, the real Azure SDK and the emulator behind the
 * socket: one Entra ID token per identity and token lifetime, identity isolation, single-flight,
 * rotation after one poll interval, and Key Vault's 429 ending as RESOURCE_EXHAUSTED within the
 * engine's attempt budget (the SDK does not retry underneath), then recovering.
 */
class AzureEngineScenariosIT {
  private static final String SECRET_GET = "azure.keyvault.secret.get";
  private static final String INTRUDER_ID = "9f9f9f9f-0000-0000-0000-000000000001";
  @RegisterExtension final LogCapture logs = new LogCapture();
  private AzureTestBed bed;
  private ProviderFixture provider;

  @BeforeEach
  void start() throws Exception {
    bed = new AzureTestBed();
    bed.azure.setSecret(AzureTestBed.VAULT, "config", Canaries.SECRET);
    bed.azure.addApplication(
        AzureTestBed.TENANT, INTRUDER_ID, null, "system:serviceaccount:team-a:intruder");
    provider = bed.provider(bed.settings());
    bed.azure.faults().inject(FaultPlan.ANY_OPERATION, Fault.latency(Duration.ofMillis(20)));
  }

  @AfterEach
  void stop() throws Exception {
    logs.assertNoCanary(bed.secrets());
    bed.close();
  }

  private MountReply mount(String serviceAccount, String clientId, String objects) {
    Map<String, String> attributes =
        bed.attributes(
            objects,
            "clientID",
            clientId,
            "csi.storage.k8s.io/serviceAccount.name",
            serviceAccount,
            "csi.storage.k8s.io/serviceAccount.tokens",
            AzureTestBed.tokens(
                Map.of(AzureEmulator.EXCHANGE_AUDIENCE, bed.token(serviceAccount))));
    return provider.client().mount(call(attributes), Duration.ofSeconds(30));
  }

  private MountReply mountApp(String objects) {
    return mount("app", AzureTestBed.CLIENT_ID, objects);
  }

  @Test
  void tokens_aHundredMountsOfOneIdentityAskEntraIdOnce() {
    long tokensBefore = bed.azure.tokenRequests();
    long readsBefore = bed.azure.calls().count(SECRET_GET);
    for (int i = 0; i < 100; i++) {
      bed.azure.setSecret(AzureTestBed.VAULT, "per-mount-" + i, "value-" + i);
    }
    for (int i = 0; i < 100; i++) {
      // A different object each time, so every mount really reaches Key Vault.
      MountReply reply = mountApp(objects("objectName: per-mount-" + i + "\nobjectType: secret"));
      assertThat(ProviderFixture.text(reply, 0)).isEqualTo("value-" + i);
    }
    assertThat(bed.azure.tokenRequests() - tokensBefore).as("Entra ID token requests").isEqualTo(1);
    assertThat(bed.azure.calls().count(SECRET_GET) - readsBefore)
        .as("Key Vault reads")
        .isGreaterThanOrEqualTo(100);
  }

  @Test
  void isolation_anotherServiceAccountNeverGetsTheCachedTokenOrValue() {
    assertThat(ProviderFixture.text(mountApp(objects("objectName: config\nobjectType: secret")), 0))
        .isEqualTo(Canaries.SECRET);
    long tokens = bed.azure.tokenRequests();
    // The intruder names the app's client id, which does not federate its service account.
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(
              () ->
                  mount(
                      "intruder",
                      AzureTestBed.CLIENT_ID,
                      objects("objectName: config\nobjectType: secret")))
          .isInstanceOfSatisfying(
              ProviderCallException.class,
              e -> {
                assertThat(e.code()).isEqualTo("PERMISSION_DENIED");
                assertThat(e.description()).contains("AADSTS70021");
                LogCapture.assertNoCanaryIn(e.description(), bed.secrets());
              });
    }
    assertThat(bed.azure.tokenRequests() - tokens)
        .as("every intruder mount asked Entra ID itself")
        .isGreaterThanOrEqualTo(3);
    // Its own application gets a token but may not read the vault.
    assertThatThrownBy(
            () -> mount("intruder", INTRUDER_ID, objects("objectName: config\nobjectType: secret")))
        .isInstanceOfSatisfying(
            ProviderCallException.class,
            e -> {
              assertThat(e.code()).isEqualTo("PERMISSION_DENIED");
              assertThat(e.description()).contains("HTTP 403").contains("AccessDenied");
            });
  }

  @Test
  void singleFlight_concurrentMountsOfOneObjectShareOneRead() throws Exception {
    mountApp(objects("objectName: config\nobjectType: secret")); // warm: token and challenge
    bed.azure.setSecret(AzureTestBed.VAULT, "shared", "same");
    bed.azure.faults().inject(SECRET_GET, Fault.latency(Duration.ofMillis(300)));
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<CompletableFuture<MountReply>> mounts = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        mounts.add(
            CompletableFuture.supplyAsync(
                () -> mountApp(objects("objectName: shared\nobjectType: secret")), pool));
      }
      for (CompletableFuture<MountReply> mount : mounts) {
        assertThat(ProviderFixture.text(mount.get(), 0)).isEqualTo("same");
      }
    } finally {
      pool.shutdownNow();
    }
    // One read serves all twenty; the background poller may refresh the entry once meanwhile.
    assertThat(bed.azure.reads("shared"))
        .as("Key Vault reads for 20 concurrent mounts")
        .isBetween(1L, 2L);
  }

  @Test
  void rotation_aNewVersionAppearsAfterOnePollInterval() {
    MountReply first = mountApp(objects("objectName: config\nobjectType: secret"));
    String rotated = bed.azure.setSecret(AzureTestBed.VAULT, "config", "rotated");
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              MountReply reply = mountApp(objects("objectName: config\nobjectType: secret"));
              assertThat(ProviderFixture.text(reply, 0)).isEqualTo("rotated");
              assertThat(reply.versions().get(0).version())
                  .isEqualTo(rotated)
                  .isNotEqualTo(first.versions().get(0).version());
            });
  }

  @Test
  void throttling_isResourceExhaustedWithinTheBudget_thenRecovers() {
    // Nothing mounted before, so no background refresh adds reads; the very first call meets the
    // 429.
    bed.azure.setSecret(AzureTestBed.VAULT, "other", "x");
    long before = bed.azure.calls().count(SECRET_GET);
    bed.azure.faults().inject(SECRET_GET, Fault.throttled(Duration.ofSeconds(1)), FaultPlan.ALWAYS);
    assertThatThrownBy(() -> mountApp(objects("objectName: other\nobjectType: secret")))
        .isInstanceOfSatisfying(
            ProviderCallException.class,
            e -> {
              assertThat(e.code()).isEqualTo("RESOURCE_EXHAUSTED");
              assertThat(e.description()).contains("throttling");
            });
    assertThat(bed.azure.calls().count(SECRET_GET) - before)
        .as("three attempts, no SDK retries")
        .isEqualTo(3);
    bed.azure.faults().clear(SECRET_GET);
    assertThat(ProviderFixture.text(mountApp(objects("objectName: other\nobjectType: secret")), 0))
        .isEqualTo("x");
  }

  @Test
  void serverErrors_areUnavailable_andTokenExpiryLeadsToOneNewLogin() {
    mountApp(objects("objectName: config\nobjectType: secret"));
    bed.azure.faults().inject(SECRET_GET, Fault.error(503), FaultPlan.ALWAYS);
    bed.azure.setSecret(AzureTestBed.VAULT, "flaky", "y");
    assertThatThrownBy(() -> mountApp(objects("objectName: flaky\nobjectType: secret")))
        .isInstanceOfSatisfying(
            ProviderCallException.class, e -> assertThat(e.code()).isEqualTo("UNAVAILABLE"));
    bed.azure.faults().clear(SECRET_GET);
    long tokens = bed.azure.tokenRequests();
    bed.azure.revokeTokens();
    // Key Vault now refuses the cached token with its challenge; the SDK asks again once.
    assertThat(ProviderFixture.text(mountApp(objects("objectName: flaky\nobjectType: secret")), 0))
        .isEqualTo("y");
    assertThat(bed.azure.tokenRequests() - tokens).isBetween(1L, 2L);
  }
}
