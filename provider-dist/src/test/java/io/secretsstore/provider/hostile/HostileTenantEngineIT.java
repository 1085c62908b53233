// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.vault.VaultEmulator;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's points on the shared engine (circuit, fairness, revocation, memory, cached
 * credentials), each tried as a hostile tenant against the real Vault distribution while a victim
 * tenant mounts: the provider stays up, every victim mount succeeds within {@link #VICTIM_BOUND},
 * and the hostile request gets a clear code naming what is at fault.
 */
class HostileTenantEngineIT {
  /**
   * The slowest a victim's mount may be during an attack. Unharmed mounts take tens of
   * milliseconds; the bound is generous for a loaded 2-core machine, yet far below what the attacks
   * cost before (a 30 s open circuit, a 90 s mount timeout).
   */
  static final Duration VICTIM_BOUND = Duration.ofSeconds(15);

  private static final int VICTIM_SECRETS = 400;

  private HostileProvider provider;

  @AfterEach
  void stop() throws Exception {
    if (provider != null) {
      provider.close();
    }
  }

  private HostileProvider start(String... flags) throws Exception {
    provider = HostileProvider.start("vault", flags);
    for (int i = 0; i < VICTIM_SECRETS; i++) {
      provider.backend().put("v-" + i, Canaries.SECRET + "-v-" + i);
    }
    return provider;
  }

  /**
   * The victim mounts the next of its secrets each time: its first 400 mounts all go to the
   * backend.
   */
  private VictimLoad victimLoad(int concurrency) {
    return VictimLoad.start(
        provider.client(), concurrency, n -> provider.victim().mount("v-" + n % VICTIM_SECRETS));
  }

  @Test
  @DisplayName(
      "point 6: one tenant's 5xx and throttled objects do not open the endpoint's circuit for others")
  void oneTenantsFailingObjectsDoNotOpenTheSharedCircuit() throws Exception {
    start();
    provider.backend().put("a-5xx", "x");
    provider.backend().put("a-429", "x");
    provider.backend().put("a-ok", "x");
    String read = provider.backend().readOperation();
    provider
        .backend()
        .emulator()
        .faults()
        .inject(read, provider.backend().resource("a-5xx"), Fault.error(503), FaultPlan.ALWAYS);
    provider
        .backend()
        .emulator()
        .faults()
        .inject(
            read,
            provider.backend().resource("a-429"),
            Fault.error(429).withHeader("Retry-After", "0"),
            FaultPlan.ALWAYS);
    provider.client().mount(provider.victim().mount("v-0"), VICTIM_BOUND);
    provider.client().mount(provider.attacker().mount("a-ok"), VICTIM_BOUND);

    VictimLoad victim = victimLoad(2);
    for (int round = 0; round < 8; round++) {
      provider.assertRejected(provider.attacker().mount("a-5xx"), "UNAVAILABLE", "objects[0]");
      provider.assertRejected(
          provider.attacker().mount("a-429"), "RESOURCE_EXHAUSTED", "objects[0]");
    }
    // A malformed Vault namespace is a bad parameter, not an endpoint failure.
    provider.assertRejected(
        provider.attacker().mount(Map.of("vaultNamespace", "team a\u0007"), "a-ok"),
        "INVALID_ARGUMENT",
        "vaultNamespace");
    awaitMoreVictimMounts(victim, 20);
    provider.assertVictimUnharmed("point 6 (failing objects, throttling)", victim, VICTIM_BOUND);
  }

  @Test
  @DisplayName(
      "point 7: a mount of 256 hanging objects holds only its tenant's share of fetch threads")
  void aTenantsHangingObjectsDelayOnlyThatTenant() throws Exception {
    start("--mount-timeout", "20s");
    String[] hanging = new String[256];
    for (int i = 0; i < hanging.length; i++) {
      hanging[i] = "h-" + i;
      provider.backend().put(hanging[i], "x");
      provider
          .backend()
          .emulator()
          .faults()
          .inject(
              provider.backend().readOperation(),
              provider.backend().resource(hanging[i]),
              Fault.hang(Duration.ofSeconds(60)),
              FaultPlan.ALWAYS);
    }
    provider.client().mount(provider.victim().mount("v-0"), VICTIM_BOUND);
    VictimLoad victim = victimLoad(2);
    ExecutorService attacker = Executors.newSingleThreadExecutor();
    try {
      Future<String> attack =
          attacker.submit(
              () ->
                  provider.assertRejected(
                      provider.attacker().mount(hanging), "DEADLINE_EXCEEDED", "objects["));
      // The victim mounts while the attacker's objects hang (for the whole 20 s mount timeout).
      awaitMoreVictimMounts(victim, 40);
      assertThat(attack.isDone())
          .as("the attacker's mount still hangs while the victim mounted")
          .isFalse();
      attack.get(120, TimeUnit.SECONDS);
    } finally {
      attacker.shutdownNow();
    }
    provider.assertVictimUnharmed("point 7 (256 hanging objects)", victim, VICTIM_BOUND);
  }

  @Test
  @DisplayName("point 10: a 403 or 404 on refresh evicts the tenant's cached value at once")
  void aRevocationSeenOnRefreshStopsServingTheCachedValue() throws Exception {
    start("--rotation-poll-interval", "2s", "--rotation-poll-jitter", "0s");
    provider.backend().put("revoked", Canaries.SECRET + "-revoked");
    provider.backend().put("deleted", Canaries.SECRET + "-deleted");
    provider.client().mount(provider.attacker().mount("revoked", "deleted"), VICTIM_BOUND);
    VictimLoad victim = victimLoad(1);
    String read = provider.backend().readOperation();
    provider
        .backend()
        .emulator()
        .faults()
        .inject(read, provider.backend().resource("revoked"), Fault.error(403), FaultPlan.ALWAYS);
    provider
        .backend()
        .emulator()
        .faults()
        .inject(read, provider.backend().resource("deleted"), Fault.error(404), FaultPlan.ALWAYS);
    // A new pod of the tenant: served from the cache until a refresh (every 2 s) sees the answer,
    // then refused. Before, the value was served for the whole freshness window (5 min).
    Tenant newPod = provider.attacker().pod("attacker-1");
    awaitRefused(newPod, "revoked", "PERMISSION_DENIED");
    awaitRefused(newPod, "deleted", "NOT_FOUND");
    provider.assertVictimUnharmed("point 10 (revocation on refresh)", victim, VICTIM_BOUND);
  }

  /**
   * Waits (30 s at most: 15 poll intervals) until a mount of {@code secret} is refused with {@code
   * code} naming it.
   */
  private void awaitRefused(Tenant tenant, String secret, String code) throws InterruptedException {
    ProviderCallException e =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .alias(secret + " no longer served from the cache")
            .until(() -> refusal(tenant, secret), java.util.Objects::nonNull);
    assertThat(e.code()).as(e.description()).isEqualTo(code);
    assertThat(e.description()).contains("objects[0]");
  }

  /** The refusal of a mount of {@code secret}, or null when it was served. */
  private ProviderCallException refusal(Tenant tenant, String secret) {
    try {
      provider.client().mount(tenant.mount(secret), VICTIM_BOUND);
      return null;
    } catch (ProviderCallException e) {
      return e;
    }
  }

  @Test
  @DisplayName(
      "point 11: concurrent 3.5 MB requests are admitted against a byte budget; the shared connection stays up")
  void concurrentHugeRequestsAreRefusedNotAllocated() throws Exception {
    start();
    provider.client().mount(provider.victim().mount("v-0"), VICTIM_BOUND);
    VictimLoad victim = victimLoad(2);
    String filler = "x".repeat(3_500_000);
    ExecutorService attackers = Executors.newFixedThreadPool(24);
    Map<String, Integer> codes = new ConcurrentHashMap<>();
    try {
      List<Future<?>> attacks = new ArrayList<>();
      for (int round = 0; round < 48; round++) {
        attacks.add(
            attackers.submit(
                () -> {
                  try {
                    provider
                        .client()
                        .mount(
                            provider.attacker().mount(Map.of("filler", filler), "v-0"),
                            Duration.ofSeconds(60));
                    codes.merge("OK", 1, Integer::sum);
                  } catch (ProviderCallException e) {
                    codes.merge(e.code(), 1, Integer::sum);
                    assertThat(e.code())
                        .as(e.description())
                        .isIn("RESOURCE_EXHAUSTED", "INVALID_ARGUMENT");
                  }
                  return null;
                }));
      }
      for (Future<?> attack : attacks) {
        attack.get(5, TimeUnit.MINUTES);
      }
    } finally {
      attackers.shutdownNow();
    }
    awaitMoreVictimMounts(victim, 10);
    provider.assertVictimUnharmed(
        "point 11 (48 requests of 3.5 MB, 24 at once; outcomes " + new TreeMap<>(codes) + ")",
        victim,
        VICTIM_BOUND);
  }

  @Test
  @DisplayName(
      "point 14: a garbage, expired or foreign token is refused before the tenant's cached login or objects are used")
  void badTokensAreRefusedBeforeCachedCredentialsAreUsed() throws Exception {
    start();
    VaultEmulator vault = (VaultEmulator) provider.backend().emulator();
    String namespace = provider.attacker().namespace();
    provider.backend().put("cached", Canaries.SECRET + "-cached");
    // One real login and one fetch: the identity now has a cached Vault token and a cached object.
    provider.client().mount(provider.attacker().mount("cached"), VICTIM_BOUND);
    // The victim's own login happens before the count below starts.
    provider.client().mount(provider.victim().mount("v-0"), VICTIM_BOUND);
    VictimLoad victim = victimLoad(1);
    String real = vault.mintServiceAccountToken(namespace, "app", "vault", Duration.ofHours(1));
    Map<String, String> bad =
        Map.of(
            "garbage", "not-a-jwt",
            "expired", vault.mintServiceAccountToken(namespace, "app", "vault", Duration.ZERO),
            "another service account's",
                vault.mintServiceAccountToken(namespace, "intruder", "vault", Duration.ofHours(1)),
            "unsigned",
                real.substring(0, real.lastIndexOf('.') + 1)
                    .replaceFirst("^[^.]+", unsignedHeader()));
    long logins = vault.calls().count("vault.login");
    for (Map.Entry<String, String> token : bad.entrySet()) {
      String message =
          provider.assertRejected(
              provider
                  .attacker()
                  .pod("attacker-" + token.getKey().length())
                  .withToken(token.getValue())
                  .mount("cached"),
              "UNAUTHENTICATED",
              "csi.storage.k8s.io/serviceAccount.tokens");
      assertThat(message).as(token.getKey()).contains("\"vault\"").doesNotContain(token.getValue());
    }
    assertThat(vault.calls().count("vault.login"))
        .as("no login for a refused token")
        .isEqualTo(logins);
    // The tenant's real pods go on mounting from the cache.
    provider.client().mount(provider.attacker().pod("attacker-2").mount("cached"), VICTIM_BOUND);
    provider.assertVictimUnharmed(
        "point 14 (bad tokens against a cached login)", victim, VICTIM_BOUND);
  }

  /** A JWT header with {@code "alg":"none"}, which no API server issues. */
  private static String unsignedHeader() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Lets the victim mount {@code more} times after the attack (while a wrongly opened circuit would
   * still be open).
   */
  private static void awaitMoreVictimMounts(VictimLoad victim, int more)
      throws InterruptedException {
    int target = victim.succeeded() + more;
    Poll.until(Duration.ofSeconds(120), () -> victim.succeeded() >= target);
    assertThat(victim.succeeded())
        .as("the victim's mounts after the attack")
        .isGreaterThanOrEqualTo(target);
  }
}
