// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.hostile;

import static io.secretsstore.provider.hostile.HostileTenantEngineIT.VICTIM_BOUND;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.gcp.GcpEmulator;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.testing.Canaries;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's points on the backends (Vault endpoints and paths, AWS jmesPath and SDK logs, GCP
 * regional clients), each tried as a hostile tenant against the real distribution of that backend
 * (launcher JVM flags: 64 MiB heap, exit on OutOfMemoryError) while a victim tenant mounts: the
 * provider stays up, every victim mount succeeds within {@link HostileTenantEngineIT#VICTIM_BOUND},
 * and the hostile request gets a clear code naming the parameter at fault.
 */
class HostileTenantBackendIT {
  private static final int VICTIM_SECRETS = 200;
  private static final int MIB = 1 << 20;

  private HostileProvider provider;
  private HttpServer hostile;
  private final AtomicInteger hostileRequests = new AtomicInteger();

  @AfterEach
  void stop() throws Exception {
    if (hostile != null) {
      hostile.stop(0);
    }
    if (provider != null) {
      provider.close();
    }
  }

  private HostileProvider start(String cloud, String... flags) throws Exception {
    return seeded(HostileProvider.start(cloud, flags));
  }

  /**
   * Without the emulator's --vault-allowed-addresses: any address, as upstream and the chart
   * default allow.
   */
  private HostileProvider startAllowingAnyVaultAddress(String... flags) throws Exception {
    return seeded(
        HostileProvider.startWithout(
            "vault", flag -> flag.startsWith("--vault-allowed-addresses"), flags));
  }

  private HostileProvider seeded(HostileProvider started) {
    provider = started;
    for (int i = 0; i < VICTIM_SECRETS; i++) {
      provider.backend().put("v-" + i, Canaries.SECRET + "-v-" + i);
    }
    provider.client().mount(provider.victim().mount("v-0"), VICTIM_BOUND);
    return provider;
  }

  /**
   * The victim mounts a secret it has not mounted lately each time, so mounts reach the backend.
   */
  private VictimLoad victimLoad() {
    return VictimLoad.start(
        provider.client(), 2, n -> provider.victim().mount("v-" + n % VICTIM_SECRETS));
  }

  /**
   * A local HTTP server that answers every request with 8 MiB: declared (Content-Length) or
   * chunked.
   */
  private String startHostileVault() throws IOException {
    hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    byte[] chunk = new byte[64 << 10];
    java.util.Arrays.fill(chunk, (byte) '7');
    hostile.createContext(
        "/",
        exchange -> {
          hostileRequests.incrementAndGet();
          exchange.sendResponseHeaders(
              200, exchange.getRequestURI().getPath().contains("chunked") ? 0 : 8L * MIB);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int sent = 0; sent < 8 * MIB; sent += chunk.length) {
              out.write(chunk);
            }
          } catch (IOException e) {
            // The provider hung up after its bound: as it should.
          }
        });
    hostile.setExecutor(Executors.newFixedThreadPool(8));
    hostile.start();
    return "http://127.0.0.1:" + hostile.getAddress().getPort();
  }

  /**
   * Runs {@code attacks} attack mounts, {@code concurrency} at a time; each must fail with {@code
   * code} naming {@code parameter}.
   */
  private void attack(
      int attacks,
      int concurrency,
      IntFunction<ProviderClient.MountCall> calls,
      String code,
      String parameter)
      throws Exception {
    ExecutorService attackers = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < attacks; i++) {
        int n = i;
        results.add(
            attackers.submit(() -> provider.assertRejected(calls.apply(n), code, parameter)));
      }
      for (Future<String> result : results) {
        result.get(5, TimeUnit.MINUTES);
      }
    } finally {
      attackers.shutdownNow();
    }
  }

  @Test
  @DisplayName(
      "point 3: a Vault address answering the login with 8 MiB, and 1,050 distinct addresses, cost bounded memory and threads")
  void point3_hostileVaultAddresses() throws Exception {
    String address = startHostileVault();
    startAllowingAnyVaultAddress();
    int threadsBefore = statusField(provider.pid(), "Threads:");
    long selectorsBefore = selectorThreads(provider.pid());
    VictimLoad victim = victimLoad();
    // 32 logins answered with 8 MiB (declared or chunked), 8 at once: 256 MiB the provider must not
    // read.
    attack(
        32,
        8,
        n ->
            provider
                .attacker()
                .mount(
                    Map.of("vaultAddress", address + (n % 2 == 0 ? "/declared" : "/chunked")), "a"),
        "RESOURCE_EXHAUSTED",
        "vaultAddress");
    // 1,050 distinct addresses (one server, distinct paths): one HTTP client, one selector thread.
    attack(
        1050,
        8,
        n -> provider.attacker().mount(Map.of("vaultAddress", address + "/tenant-" + n), "a"),
        "RESOURCE_EXHAUSTED",
        "vaultAddress");
    int threadsAfter = statusField(provider.pid(), "Threads:");
    long selectorsAfter = selectorThreads(provider.pid());
    provider.assertVictimUnharmed(
        "point 3 (8 MiB logins; 1,050 addresses; threads "
            + threadsBefore
            + " -> "
            + threadsAfter
            + ", HTTP selector threads "
            + selectorsBefore
            + " -> "
            + selectorsAfter
            + ")",
        victim,
        VICTIM_BOUND);
    assertThat(hostileRequests.get())
        .as("the hostile server was asked for each address")
        .isGreaterThanOrEqualTo(1050);
    assertThat(selectorsAfter - selectorsBefore)
        .as("HTTP client selector threads added: the one plain-HTTP client's")
        .isLessThanOrEqualTo(1);
    // The fetch pool and the HTTP client's workers grow with concurrency, not with addresses.
    assertThat(threadsAfter)
        .as("threads after 1,082 hostile mounts (1,688 before the fix at 500 addresses)")
        .isLessThan(150);
  }

  @Test
  @DisplayName(
      "point 4: seven back-to-back mounts of 3 MiB Vault secrets succeed and the provider stays up")
  void point4_backToBackLargeVaultSecrets() throws Exception {
    start("vault");
    String big = "b".repeat(3 * MIB);
    for (int i = 0; i < 7; i++) {
      provider.backend().put("big-" + i, big);
    }
    VictimLoad victim = victimLoad();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 7; i++) {
        MountReply reply =
            provider.client().mount(provider.attacker().mount("big-" + i), Duration.ofSeconds(60));
        assertThat(reply.files().get(0).contents()).hasSize(3 * MIB);
      }
    }
    provider.assertVictimUnharmed(
        "point 4 (14 mounts of 3 MiB secrets, back to back)", victim, VICTIM_BOUND);
  }

  @Test
  @DisplayName(
      "point 5: jmesPath expressions that explode a tenant's own 47 KB secret are stopped while they run")
  void point5_explodingJmesPath() throws Exception {
    start("aws");
    StringBuilder json = new StringBuilder("{\"items\":[");
    for (int i = 0; i < 1000; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"k\":\"key-")
          .append(i)
          .append("\",\"v\":\"")
          .append("v".repeat(30))
          .append("\"}");
    }
    provider.backend().put("big", json.append("]}").toString());
    List<String> expressions =
        List.of(
            "[@,@]|".repeat(40) + "to_string(@)",
            "join('', [" + "to_string(@),".repeat(40) + "to_string(@)])",
            "items[*].[@,@,@,@,@,@,@,@]|[]|[*].[@,@,@,@,@,@,@,@]|[]|join(',', [*].v)");
    VictimLoad victim = victimLoad();
    attack(
        48,
        8,
        n ->
            provider
                .attacker()
                .withObjects(
                    Map.of(),
                    "- objectName: conf/big\n  objectType: secretsmanager\n"
                        + "  objectAlias: big\n  jmesPath:\n    - path: '"
                        + expressions.get(n % expressions.size()).replace("'", "''")
                        + "'\n      objectAlias: x\n"),
        "RESOURCE_EXHAUSTED",
        "jmesPath[0]");
    provider.assertVictimUnharmed(
        "point 5 (48 exploding jmesPath expressions, 8 at once)", victim, VICTIM_BOUND);
  }

  @Test
  @DisplayName(
      "point 9: 200 made-up GCP locations evict each other; regional secrets keep working for everyone")
  void point9_madeUpGcpLocations() throws Exception {
    start("gcp");
    GcpEmulator gcp = (GcpEmulator) provider.backend().emulator();
    String regional = "projects/" + GcpEmulator.PROJECT + "/locations/us-central1/secrets/";
    gcp.grant(
        GcpEmulator.serviceAccountMember(
            "conf-reader@" + GcpEmulator.PROJECT + ".iam.gserviceaccount.com"),
        regional);
    for (int i = 0; i < VICTIM_SECRETS; i++) {
      gcp.addVersion(regional + "r-" + i, Canaries.SECRET + "-r-" + i);
    }
    VictimLoad victim =
        VictimLoad.start(
            provider.client(),
            2,
            n ->
                provider
                    .victim()
                    .withObjects(
                        Map.of(),
                        "- resourceName: "
                            + regional
                            + "r-"
                            + n % VICTIM_SECRETS
                            + "/versions/latest\n  fileName: r\n"));
    ExecutorService attackers = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> codes = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        codes.add(
            attackers.submit(
                () -> {
                  try {
                    provider
                        .client()
                        .mount(
                            provider
                                .attacker()
                                .withObjects(
                                    Map.of(),
                                    "- resourceName: projects/"
                                        + GcpEmulator.PROJECT
                                        + "/locations/made-up-"
                                        + n
                                        + "/secrets/s/versions/1\n  fileName: x\n"),
                            Duration.ofSeconds(60));
                    return "OK";
                  } catch (ProviderCallException e) {
                    assertThat(e.description())
                        .as(e.code())
                        .contains("[0]")
                        .contains("made-up-" + n);
                    return e.code();
                  }
                }));
      }
      for (Future<String> code : codes) {
        assertThat(code.get(5, TimeUnit.MINUTES))
            .as("made-up locations never use up a process-wide cap")
            .isIn("NOT_FOUND", "PERMISSION_DENIED");
      }
    } finally {
      attackers.shutdownNow();
    }
    // After the attack, regional secrets still mount (before, they failed for everyone until
    // restart).
    provider
        .client()
        .mount(
            provider
                .victim()
                .withObjects(
                    Map.of(),
                    "- resourceName: " + regional + "r-1/versions/latest\n  fileName: r\n"),
            VICTIM_BOUND);
    provider.assertVictimUnharmed(
        "point 9 (200 made-up locations, 8 at once)", victim, VICTIM_BOUND);
  }

  @Test
  @DisplayName("point 12: at TRACE the AWS SDK prints no backend error body")
  void point12_sdkLoggersAtTrace() throws Exception {
    start("aws", "--log-level", "trace");
    String canary = "ERROR-BODY-" + Canaries.SECRET;
    provider.backend().put("failing", "x");
    provider
        .backend()
        .emulator()
        .faults()
        .inject(
            provider.backend().readOperation(),
            provider.backend().resource("failing"),
            Fault.error(400)
                .withBody(
                    "{\"__type\":\"ValidationException\",\"message\":\""
                        + canary
                        + "\",\"Message\":\""
                        + canary
                        + "\"}"),
            FaultPlan.ALWAYS);
    VictimLoad victim = victimLoad();
    attack(16, 4, n -> provider.attacker().mount("failing"), "FAILED_PRECONDITION", "objects[0]");
    provider.assertVictimUnharmed("point 12 (16 error bodies at TRACE)", victim, VICTIM_BOUND);
    assertThat(provider.output()).doesNotContain(canary);
  }

  @Test
  @DisplayName(
      "point 13: '..' and encoded dot segments in Vault path parameters, and DELETE or LIST methods, are refused")
  void point13_vaultPathTraversal() throws Exception {
    start("vault");
    long reads = provider.backend().emulator().calls().total();
    VictimLoad victim = victimLoad();
    Map<String, String> parameters =
        Map.of(
            "vaultKubernetesMountPath", "../../sys/x",
            "vaultAuthMountPath", "kubernetes/%2E%2e/%2e%2E/sys/x",
            "vaultNamespace", "team/%252e%252e/root");
    for (int round = 0; round < 4; round++) {
      parameters.forEach(
          (key, value) ->
              provider.assertRejected(
                  provider.attacker().mount(Map.of(key, value), "a"), "INVALID_ARGUMENT", key));
      for (String path :
          List.of(
              "secret/../sys/policy/root",
              "secret/%2e%2E/auth/token/create",
              "/v1/secret/.%2e/sys/mounts")) {
        provider.assertRejected(
            provider
                .attacker()
                .withObjects(Map.of(), "- {objectName: a, secretPath: '" + path + "'}"),
            "INVALID_ARGUMENT",
            "secretPath");
      }
      for (String method : List.of("DELETE", "LIST", "PATCH")) {
        provider.assertRejected(
            provider
                .attacker()
                .withObjects(
                    Map.of(),
                    "- {objectName: a, secretPath: secret/data/conf/v-1, method: " + method + "}"),
            "INVALID_ARGUMENT",
            "method");
      }
    }
    VictimLoad.Outcome outcome =
        provider.assertVictimUnharmed(
            "point 13 (36 traversal and method attempts)", victim, VICTIM_BOUND);
    assertThat(provider.backend().emulator().calls().total() - reads)
        .as("calls Vault received: the victim's only")
        .isLessThanOrEqualTo(2L * (outcome.latencies().size() + outcome.failures().size() + 2));
  }

  @Test
  @DisplayName(
      "point 15: a token minted without an audience is never sent to an address the operator did not name")
  void point15_mintedTokensStayWithTheOperatorsVault() throws Exception {
    String address = startHostileVault();
    startAllowingAnyVaultAddress("--vault-allow-token-request");
    VictimLoad victim = victimLoad();
    // The driver sent no token for the audience, so the provider would mint one: refused by name.
    attack(
        16,
        4,
        n -> {
          Map<String, String> attributes =
              provider
                  .backend()
                  .attributes(
                      provider.attacker().namespace(),
                      "attacker-0",
                      "unused",
                      Map.of("vaultAddress", address),
                      provider.backend().objects("a"));
          attributes.remove("csi.storage.k8s.io/serviceAccount.tokens");
          return io.secretsstore.provider.conformance.EmulatedBackend.call(attributes);
        },
        "INVALID_ARGUMENT",
        "audience");
    provider.assertVictimUnharmed(
        "point 15 (16 mounts asking for a minted token at a tenant's address)",
        victim,
        VICTIM_BOUND);
    assertThat(hostileRequests.get()).as("requests that reached the tenant's address").isZero();
  }

  /**
   * Threads of the JDK HTTP client's selectors ({@code HttpClient-N-SelectorManager}, truncated by
   * the kernel to 15 characters).
   */
  static long selectorThreads(long pid) throws IOException {
    try (java.util.stream.Stream<Path> tasks =
        Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks
          .filter(
              task -> {
                try {
                  return Files.readString(task.resolve("comm"))
                      .trim()
                      .matches("HttpClient-\\d+-Se.*");
                } catch (IOException e) {
                  return false; // the thread ended meanwhile
                }
              })
          .count();
    }
  }

  /** Reads a number field of a process's {@code /proc/<pid>/status}. */
  static int statusField(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return Integer.parseInt(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException(field + " not in /proc/" + pid + "/status");
  }
}
