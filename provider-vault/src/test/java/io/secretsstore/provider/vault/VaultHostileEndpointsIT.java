// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static io.secretsstore.provider.vault.VaultTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.testing.ProviderFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 points 3, 4 and 13 at the backend: the real HTTP client against the Vault emulator and a
 * hostile HTTP server on 127.0.0.1 that answers logins with megabytes.
 */
class VaultHostileEndpointsIT {
  private static final int MIB = 1 << 20;
  private static VaultTestBed bed;
  private static HttpServer hostile;
  private static final AtomicLong hostileBytesWritten = new AtomicLong();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startBed() throws Exception {
    bed = new VaultTestBed();
    bed.vault.putKv2("", "secret", "app/db", Map.of("username", "app-user"));
    hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] chunk = new byte[64 << 10];
    java.util.Arrays.fill(chunk, (byte) 'a');
    // Declares 8 MiB, then sends it: the driver used to read all of it.
    hostile.createContext(
        "/declared/",
        exchange -> {
          exchange.sendResponseHeaders(200, 8L * MIB);
          writeUntilRefused(exchange.getResponseBody(), chunk, 8 * MIB);
        });
    // No length (chunked): the client cannot know until it has read.
    hostile.createContext(
        "/chunked/",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          writeUntilRefused(exchange.getResponseBody(), chunk, 8 * MIB);
        });
    hostile.start();
  }

  private static void writeUntilRefused(OutputStream out, byte[] chunk, int total) {
    try (out) {
      for (int sent = 0; sent < total; sent += chunk.length) {
        out.write(chunk);
        hostileBytesWritten.addAndGet(chunk.length);
      }
    } catch (IOException e) {
      // The provider hung up: what it should do.
    }
  }

  @AfterAll
  static void stopBed() throws Exception {
    hostile.stop(0);
    bed.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  private VaultBackend backend(VaultSettings settings) {
    VaultBackend backend = bed.backend(settings);
    closeables.add(backend);
    return backend;
  }

  private ProviderFixture provider(VaultBackend backend) throws Exception {
    ProviderFixture fixture = ProviderFixture.start(backend, VaultTestBed.FAST);
    closeables.add(0, fixture);
    return fixture;
  }

  private static String hostileAddress(String path) {
    return "http://127.0.0.1:" + hostile.getAddress().getPort() + path;
  }

  private static ProviderCallException refused(
      ProviderFixture provider, Map<String, String> attributes) {
    try {
      MountReply reply = provider.mount(call(attributes));
      throw new AssertionError("expected a refusal, got " + reply.files().size() + " files");
    } catch (ProviderCallException e) {
      return e;
    }
  }

  private static Map<String, String> kv(String... extra) {
    Map<String, String> attributes =
        bed.attributes("- {objectName: u, secretPath: secret/data/app/db, secretKey: username}");
    for (int i = 0; i < extra.length; i += 2) {
      attributes.put(extra[i], extra[i + 1]);
    }
    return attributes;
  }

  @Test
  void point3_aLoginAnsweredWithEightMebibytes_isReadOnlyUpToTheLoginBound() throws Exception {
    ProviderFixture provider = provider(backend(bed.settings()));
    for (String path : List.of("/declared/", "/chunked/")) {
      ProviderCallException e = refused(provider, kv("vaultAddress", hostileAddress(path)));
      assertThat(e.code()).as(e.description()).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(e.description())
          .contains("vaultAddress")
          .contains(Integer.toString(VaultClient.MAX_LOGIN_BYTES));
    }
    // The other tenant's mount is unaffected.
    assertThat(
            new String(
                provider.mount(call(kv())).files().get(0).contents(), StandardCharsets.UTF_8))
        .isEqualTo("app-user");
  }

  @Test
  void point3_aThousandAddresses_shareOneHttpClient_andTheirVaultClientsAreBounded()
      throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    VaultSettings settings =
        new VaultSettings(
            bed.httpAddress(),
            "kubernetes",
            "",
            TlsConfig.NONE,
            100,
            "vault-csi-provider-hmac-key",
            VaultTestBed.PROVIDER_NAMESPACE,
            false,
            false,
            List.of(),
            List.of(),
            Duration.ofMinutes(10),
            0.66,
            Duration.ofSeconds(5));
    VaultBackend backend = backend(settings);
    long selectorsBefore = selectorThreads();
    for (int i = 0; i < 1050; i++) {
      // One attempt each, straight through the backend (the engine would retry and back off).
      MountPlan<ObjectSpec> plan =
          plan(backend, kv("vaultAddress", "http://127.0.0.1:" + closedPort + "/tenant-" + i));
      assertThatThrownBy(() -> plan.fetcher().fetch(plan.objects().get(0)))
          .isInstanceOfSatisfying(
              ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    }
    assertThat(backend.liveHttpClients())
        .as("one plain-HTTP client for all addresses")
        .isEqualTo(1);
    assertThat(selectorThreads() - selectorsBefore)
        .as("selector threads started")
        .isLessThanOrEqualTo(1);
    ProviderFixture provider = provider(backend);
    assertThat(
            new String(
                provider.mount(call(kv())).files().get(0).contents(), StandardCharsets.UTF_8))
        .isEqualTo("app-user");
  }

  @SuppressWarnings("unchecked") // the vault backend's plans are of ObjectSpec
  private static MountPlan<ObjectSpec> plan(VaultBackend backend, Map<String, String> attributes) {
    return (MountPlan<ObjectSpec>)
        backend.plan(
            MountRequestContext.parse(
                VaultTestBed.json(attributes), "null", "/t", "420", List.of()));
  }

  @Test
  void point3_distinctTlsServerNames_areBoundedAndEvicted() throws Exception {
    VaultBackend backend =
        backend(
            bed.settings().withTls(new TlsConfig(bed.caFile.toString(), "", "", "", "", false)));
    ProviderFixture provider = provider(backend);
    int refusedForTooMany = 0;
    for (int i = 0; i < 200; i++) {
      ProviderCallException e =
          refused(
              provider,
              kv("vaultAddress", bed.httpsAddress(), "vaultTLSServerName", "n" + i + ".example"));
      assertThat(e.code()).isIn("UNAVAILABLE", "RESOURCE_EXHAUSTED");
      if (e.code().equals("RESOURCE_EXHAUSTED")) {
        refusedForTooMany++;
        assertThat(e.description()).contains("vaultTLSServerName");
      }
      assertThat(backend.liveHttpClients())
          .isLessThanOrEqualTo(2 + VaultHttpClients.MAX_KEPT + VaultHttpClients.MAX_RETIRED);
    }
    assertThat(refusedForTooMany + backend.liveHttpClients()).isPositive();
    // The operator's own TLS configuration keeps its client whatever the others do.
    assertThat(
            new String(
                provider
                    .mount(call(kv("vaultAddress", bed.httpsAddress())))
                    .files()
                    .get(0)
                    .contents(),
                StandardCharsets.UTF_8))
        .isEqualTo("app-user");
  }

  @Test
  void point4_backToBackLargeSecrets_doNotAccumulate() throws Exception {
    String big = "x".repeat(3 * MIB);
    for (int i = 0; i < 7; i++) {
      bed.vault.putKv2("", "secret", "big/" + i, Map.of("value", big));
    }
    VaultBackend backend = backend(bed.settings());
    ProviderFixture provider = provider(backend);
    for (int i = 0; i < 7; i++) {
      MountReply reply =
          provider.mount(
              call(
                  bed.attributes(
                      "- {objectName: v, secretPath: secret/data/big/"
                          + i
                          + ", secretKey: value}")));
      assertThat(reply.files().get(0).contents()).hasSize(3 * MIB);
      assertThat(backend.heldResponseBytes())
          .as("held after mount %d", i)
          .isLessThanOrEqualTo(ResponseCache.DEFAULT_HELD_BYTES);
    }
  }

  @Test
  void point13_hostilePaths_areRefusedBeforeAnythingIsSent() throws Exception {
    ProviderFixture provider = provider(backend(bed.settings()));
    provider.mount(call(kv()));
    long calls = bed.vault.calls().total();
    Map<String, String> hostileParameters =
        Map.of(
            "vaultKubernetesMountPath", "../../sys/x",
            "vaultAuthMountPath", "kubernetes/%2E%2e/%2e%2E/sys/x",
            "vaultNamespace", "team\r\nX-Vault-Token: forged");
    hostileParameters.forEach(
        (key, value) -> {
          ProviderCallException e = refused(provider, kv(key, value));
          assertThat(e.code()).as(key).isEqualTo("INVALID_ARGUMENT");
          assertThat(e.description()).contains(key);
        });
    for (String objects :
        List.of(
            "- {objectName: u, secretPath: 'secret/../sys/policy/root'}",
            "- {objectName: u, secretPath: 'secret/%2e%2e/auth/token/create', method: POST}",
            "- {objectName: u, secretPath: secret/data/app/db, method: DELETE}",
            "- {objectName: u, secretPath: secret/metadata/, method: LIST}")) {
      ProviderCallException e = refused(provider, bed.attributes(objects));
      assertThat(e.code()).as(objects).isEqualTo("INVALID_ARGUMENT");
      assertThat(e.description()).containsAnyOf("secretPath", "method");
    }
    assertThat(bed.vault.calls().total()).as("nothing reached Vault").isEqualTo(calls);
  }

  private static long selectorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().contains("SelectorManager"))
        .count();
  }
}
