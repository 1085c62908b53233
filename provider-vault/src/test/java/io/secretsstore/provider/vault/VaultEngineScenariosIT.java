// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static io.secretsstore.provider.vault.VaultTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core's engine scenarios (MountEngineScaleTest) with the real backend and the emulator behind the
 * socket, with injected latency and throttling: identity isolation, rotation after one poll
 * interval, and 429 with Retry-After ending as RESOURCE_EXHAUSTED within the attempt budget, then
 * recovering.
 */
class VaultEngineScenariosIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  @RegisterExtension final LogCapture logs = new LogCapture();
  private VaultTestBed bed;
  private VaultBackend backend;
  private ProviderFixture provider;

  @BeforeEach
  void start() throws Exception {
    bed = new VaultTestBed();
    bed.vault.putKv2("", "secret", "app/config", Map.of("value", Canaries.SECRET));
    backend = bed.backend(bed.settings());
    provider = ProviderFixture.start(backend, VaultTestBed.FAST);
    bed.vault.faults().inject(FaultPlan.ANY_OPERATION, Fault.latency(Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() throws Exception {
    provider.close();
    backend.close();
    bed.close();
  }

  private static final String OBJECTS =
      "- {objectName: value, secretPath: secret/data/app/config, secretKey: value}";

  private MountReply mount(String serviceAccount) {
    return provider.client().mount(call(bed.attributes(serviceAccount, OBJECTS)), TIMEOUT);
  }

  private static String text(MountReply reply) {
    return new String(reply.files().get(0).contents(), StandardCharsets.UTF_8);
  }

  @Test
  void isolation_aDeniedServiceAccountNeverGetsTheAllowedOnesCachedValue() {
    assertThat(text(mount("app"))).isEqualTo(Canaries.SECRET);
    int logins = bed.vault.loginCount();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> mount("intruder"))
          .isInstanceOfSatisfying(
              ProviderCallException.class,
              e -> {
                assertThat(e.code()).isEqualTo("PERMISSION_DENIED");
                LogCapture.assertNoCanaryIn(e.description(), Canaries.all());
              });
    }
    // Every attempt went to Vault with the intruder's own JWT, and none succeeded.
    assertThat(bed.vault.calls().count("vault.login")).isGreaterThanOrEqualTo(4);
    assertThat(bed.vault.loginCount()).isEqualTo(logins);
    logs.assertNoCanary(Canaries.all());
  }

  @Test
  void rotation_aNewKvVersionAppearsAfterOnePollInterval() {
    assertThat(text(mount("app"))).isEqualTo(Canaries.SECRET);
    String version = mount("app").versions().get(0).version();
    bed.vault.putKv2("", "secret", "app/config", Map.of("value", "rotated"));
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              MountReply reply = mount("app");
              assertThat(text(reply)).isEqualTo("rotated");
              assertThat(reply.versions().get(0).version()).isNotEqualTo(version);
            });
  }

  @Test
  void throttling_429WithRetryAfter_isResourceExhaustedWithinTheBudget_thenRecovers() {
    long readsBefore = bed.vault.calls().count("vault.read");
    bed.vault
        .faults()
        .inject("vault.read", Fault.throttled(Duration.ofSeconds(1)), FaultPlan.ALWAYS);
    long started = System.nanoTime();
    assertThatThrownBy(() -> mount("app"))
        .isInstanceOfSatisfying(
            ProviderCallException.class,
            e -> {
              assertThat(e.code()).isEqualTo("RESOURCE_EXHAUSTED");
              assertThat(e.description()).contains("throttling");
            });
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(bed.vault.calls().count("vault.read") - readsBefore)
        .as("three attempts, no more")
        .isEqualTo(3);
    assertThat(took)
        .as("Retry-After of 1 s honoured twice")
        .isBetween(Duration.ofMillis(1900), Duration.ofSeconds(15));

    bed.vault.faults().clear("vault.read");
    assertThat(text(mount("app"))).isEqualTo(Canaries.SECRET);
    logs.assertNoCanary(Canaries.all());
  }
}
