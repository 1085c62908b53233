// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import static io.secretsstore.provider.gcp.GcpTestBed.PROJECT;
import static io.secretsstore.provider.gcp.GcpTestBed.call;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core's engine scenarios with the real backend, the real Google client and the emulator behind the
 * socket, with injected latency and throttling: identity isolation, single-flight, rotation after
 * one poll interval, pinned versions served from the cache, and RESOURCE_EXHAUSTED within the
 * engine's attempt budget (the client does not retry underneath), then recovering.
 */
class GcpEngineScenariosIT {
  private static final String CONFIG = PROJECT + "/secrets/app-config";
  private static final String SECRETS =
      "- resourceName: " + CONFIG + "/versions/latest\n  fileName: config\n";
  private static final String ACCESS = "gcp.secretmanager.AccessSecretVersion";
  @RegisterExtension final LogCapture logs = new LogCapture();
  private GcpTestBed bed;
  private GcpBackend backend;
  private ProviderFixture provider;

  @BeforeEach
  void start() throws Exception {
    bed = new GcpTestBed();
    bed.gcp.addVersion(CONFIG, Canaries.SECRET);
    backend = bed.backend(bed.settings());
    provider = ProviderFixture.start(backend, ProviderFixture.FAST);
    bed.gcp.faults().inject(FaultPlan.ANY_OPERATION, Fault.latency(Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() throws Exception {
    provider.close();
    backend.close();
    logs.assertNoCanary(bed.canaries());
    bed.close();
  }

  private MountReply mount(String serviceAccount, String secrets) {
    Map<String, String> attributes = new HashMap<>(bed.attributes(secrets));
    attributes.put("csi.storage.k8s.io/serviceAccount.name", serviceAccount);
    attributes.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        GcpTestBed.tokens(Map.of("emulator-project.svc.id.goog", bed.token(serviceAccount))));
    return provider.mount(call(attributes));
  }

  @Test
  void isolation_aDeniedServiceAccountNeverGetsTheAllowedOnesCachedValue() {
    assertThat(ProviderFixture.text(mount("app", SECRETS), 0)).isEqualTo(Canaries.SECRET);
    long reads = bed.gcp.calls().count(ACCESS);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> mount("intruder", SECRETS))
          .isInstanceOfSatisfying(
              ProviderCallException.class,
              e -> {
                assertThat(e.code()).isEqualTo("PERMISSION_DENIED");
                LogCaptureHelp.assertClean(e.description(), bed);
              });
    }
    // Every attempt went to Google with the intruder's own token; none was served from the cache.
    assertThat(bed.gcp.calls().count(ACCESS) - reads).isGreaterThanOrEqualTo(3);
  }

  @Test
  void singleFlight_concurrentMountsOfOneObjectShareOneRead() throws Exception {
    // No background refresh, which would add reads of its own while the mounts finish.
    provider.close();
    provider = ProviderFixture.start(backend, GcpTestBed.QUIET);
    bed.gcp.faults().inject(ACCESS, Fault.latency(Duration.ofMillis(500)));
    bed.gcp.addVersion(PROJECT + "/secrets/app-shared", "shared");
    String secrets =
        "- resourceName: " + PROJECT + "/secrets/app-shared/versions/latest\n  fileName: shared\n";
    long reads = bed.gcp.calls().count(ACCESS);
    CountDownLatch go = new CountDownLatch(1);
    List<String> texts = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                  texts.add(ProviderFixture.text(mount("app", secrets), 0));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    assertThat(texts).hasSize(10).containsOnly("shared");
    assertThat(bed.gcp.calls().count(ACCESS) - reads)
        .as("one read for ten concurrent mounts")
        .isEqualTo(1);
  }

  @Test
  void rotation_aNewVersionAppearsAfterOnePollInterval() {
    MountReply first = mount("app", SECRETS);
    assertThat(first.versions().get(0).version()).isEqualTo(CONFIG + "/versions/1");
    bed.gcp.addVersion(CONFIG, "rotated");
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              MountReply reply = mount("app", SECRETS);
              assertThat(ProviderFixture.text(reply, 0)).isEqualTo("rotated");
              assertThat(reply.versions().get(0).version()).isEqualTo(CONFIG + "/versions/2");
            });
  }

  @Test
  void pinnedVersion_isServedFromTheCacheOnRotation_withoutABackendCall() {
    String pinned = "- resourceName: " + CONFIG + "/versions/1\n  fileName: config\n";
    String latest = "- resourceName: " + CONFIG + "/versions/latest\n  fileName: config\n";
    mount("app", pinned);
    mount("app", latest);
    long pinnedReads = bed.gcp.calls().count(ACCESS);
    // Keep both in use for several poll intervals and past the ordinary freshness window (2 s).
    await()
        .pollDelay(Duration.ofMillis(3000))
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              mount("app", pinned);
              mount("app", latest);
              return true;
            });
    for (int i = 0; i < 5; i++) {
      assertThat(ProviderFixture.text(mount("app", pinned), 0)).isEqualTo(Canaries.SECRET);
    }
    // Only the latest alias was read again (by the poller); the pinned version never was.
    long extra = bed.gcp.calls().count(ACCESS) - pinnedReads;
    bed.gcp.faults().inject(ACCESS, CONFIG + "/versions/1", Fault.error(503), FaultPlan.ALWAYS);
    assertThat(ProviderFixture.text(mount("app", pinned), 0))
        .as("served without Secret Manager")
        .isEqualTo(Canaries.SECRET);
    assertThat(extra).isGreaterThan(0);
  }

  @Test
  void throttling_isResourceExhaustedWithinTheBudget_thenRecovers() {
    bed.gcp.addVersion(PROJECT + "/secrets/app-other", "x");
    String other =
        "- resourceName: " + PROJECT + "/secrets/app-other/versions/latest\n  fileName: other\n";
    long before = bed.gcp.calls().count(ACCESS);
    bed.gcp.faults().inject(ACCESS, Fault.throttled(Duration.ofSeconds(1)), FaultPlan.ALWAYS);
    assertThatThrownBy(() -> mount("app", other))
        .isInstanceOfSatisfying(
            ProviderCallException.class, e -> assertThat(e.code()).isEqualTo("RESOURCE_EXHAUSTED"));
    assertThat(bed.gcp.calls().count(ACCESS) - before).as("three attempts, no more").isEqualTo(3);

    bed.gcp.faults().clear(ACCESS);
    assertThat(ProviderFixture.text(mount("app", other), 0)).isEqualTo("x");
  }

  @Test
  void unavailable_isRetriedByTheEngine_thenSucceeds() {
    bed.gcp.addVersion(PROJECT + "/secrets/app-flaky", "steady");
    bed.gcp.faults().inject(ACCESS, Fault.error(503), 2);
    long before = bed.gcp.calls().count(ACCESS);
    assertThat(
            ProviderFixture.text(
                mount(
                    "app",
                    "- resourceName: "
                        + PROJECT
                        + "/secrets/app-flaky/versions/latest\n  fileName: f\n"),
                0))
        .isEqualTo("steady");
    assertThat(bed.gcp.calls().count(ACCESS) - before).isEqualTo(3);
  }
}
