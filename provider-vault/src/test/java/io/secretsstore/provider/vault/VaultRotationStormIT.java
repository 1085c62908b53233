// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.vault.VaultRole;
import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.fetch.MountLimits;
import io.secretsstore.provider.fetch.ResilienceSettings;
import io.secretsstore.provider.fetch.TestEngines;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.FakeTime;
import io.secretsstore.provider.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rotation storm of the engine issue against the Vault emulator: 110 pods x 10 objects with 5
 * identities republishing every interval for 5 intervals read Vault once per distinct (identity,
 * object) per interval, 50, where upstream reads 1100.
 */
class VaultRotationStormIT {
  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final Duration INTERVAL = Duration.ofMinutes(2);
  private static final Duration JITTER = Duration.ofSeconds(15);

  @Test
  void storm_110PodsOf5Identities_readVaultOncePerPairAndInterval() throws Exception {
    FakeTime time = new FakeTime();
    try (VaultTestBed bed = new VaultTestBed()) {
      StringBuilder objects = new StringBuilder();
      for (int o = 0; o < 10; o++) {
        bed.vault.putKv2("", "secret", "storm/s" + o, Map.of("value", "v" + o));
        objects
            .append("- {objectName: s")
            .append(o)
            .append(", secretPath: secret/data/storm/s")
            .append(o)
            .append(", secretKey: value}\n");
      }
      for (int i = 0; i < 5; i++) {
        bed.vault.addRole(
            "",
            "kubernetes",
            new VaultRole(
                "id-" + i,
                List.of("id-" + i),
                List.of(VaultTestBed.POD_NAMESPACE),
                "vault",
                List.of("secret/"),
                Duration.ofHours(1)));
      }
      bed.vault.faults().inject(FaultPlan.ANY_OPERATION, Fault.latency(Duration.ofMillis(20)));
      VaultBackend backend =
          VaultBackend.start(
              bed.settings(),
              new BackendContext(time, new CredentialCache(time, 1000))
                  .withKube(SharedKubeClient.of(bed.kube)));
      EngineSettings settings =
          new EngineSettings(
              MountLimits.DEFAULT,
              new CacheSettings(
                  INTERVAL,
                  JITTER,
                  Duration.ofMinutes(5),
                  Duration.ofMinutes(10),
                  64L << 20,
                  10_000),
              ResilienceSettings.DEFAULT,
              32);
      ExecutorService pods = Executors.newFixedThreadPool(16);
      try (TestEngines.Manual engine =
          TestEngines.manual(backend, settings, FetchEvents.NONE, time)) {
        List<MountRequestContext> requests = new ArrayList<>();
        for (int p = 0; p < 110; p++) {
          String identity = "id-" + (p % 5);
          Map<String, String> attributes = bed.attributes(identity, objects.toString());
          attributes.put("roleName", identity);
          attributes.put("csi.storage.k8s.io/pod.name", "pod-" + p);
          requests.add(
              MountRequestContext.parse(
                  VaultTestBed.json(attributes), "null", "/t", "420", List.of()));
        }
        List<Long> readsPerInterval = new ArrayList<>();
        for (int interval = 0; interval < 5; interval++) {
          long before = bed.vault.calls().count("vault.read");
          if (interval > 0) {
            time.advance(INTERVAL.plus(JITTER));
            int started = engine.poll();
            awaitRefreshes(bed, engine, interval, started, before);
          }
          List<CompletableFuture<Integer>> mounts = new ArrayList<>();
          for (MountRequestContext request : requests) {
            mounts.add(
                CompletableFuture.supplyAsync(() -> engine.mount(request).files().size(), pods));
          }
          mounts.forEach(m -> assertThat(m.join()).isEqualTo(10));
          readsPerInterval.add(bed.vault.calls().count("vault.read") - before);
        }
        assertThat(readsPerInterval).allSatisfy(reads -> assertThat(reads).isEqualTo(50L));
        assertThat(bed.vault.loginCount()).as("one login per identity").isEqualTo(5);
      } finally {
        pods.shutdownNow();
        backend.close();
      }
    }
  }

  /**
   * Waits for the interval's 50 refresh reads to have reached the emulator and to have settled. The
   * emulator counts a read when it arrives, 20 ms before its answer: a refresh still in flight when
   * the next interval steps the clock is dated in that interval, is not due in its poll, and that
   * interval then starts 49 refreshes (seen once, "the poll started 49 refreshes, 0 are in
   * flight"). A refresh that fails is retried only after a back-off on the test's frozen clock, so
   * it would never come: the failure then says what the engine and the emulator saw, and the log
   * says why, instead of a bare timeout.
   */
  private void awaitRefreshes(
      VaultTestBed bed, TestEngines.Manual engine, int interval, int started, long before) {
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  bed.vault.calls().count("vault.read") - before >= 50
                      && engine.refreshesInFlight() == 0);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "interval "
              + interval
              + ": the poll started "
              + started
              + " refreshes, "
              + engine.refreshesInFlight()
              + " are in flight, the emulator saw "
              + bed.vault.calls().snapshot()
              + " in all; log:\n"
              + logs.text(),
          e);
    }
  }
}
