// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import static io.secretsstore.provider.vault.VaultTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mounts through the real provider stack on a real socket, against the Vault emulator with the real
 * vault-java-driver and HTTP clients, and Kubernetes from the fabric8 mock server.
 */
class VaultMountIT {
  private static VaultTestBed bed;

  @RegisterExtension final LogCapture logs = new LogCapture();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startBed() throws Exception {
    bed = new VaultTestBed();
    bed.vault.putKv2(
        "",
        "secret",
        "app/db",
        Map.of("username", "app-user", "password", Canaries.SECRET, "port", 5432));
  }

  @AfterAll
  static void stopBed() throws Exception {
    bed.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    bed.vault.faults().clear();
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  private ProviderFixture provider(VaultSettings settings) throws Exception {
    VaultBackend backend = bed.backend(settings);
    ProviderFixture fixture = ProviderFixture.start(backend, VaultTestBed.FAST);
    closeables.add(fixture);
    closeables.add(backend);
    return fixture;
  }

  private ProviderFixture provider() throws Exception {
    return provider(bed.settings());
  }

  private static MountReply mount(ProviderFixture provider, Map<String, String> attributes) {
    return provider.mount(call(attributes));
  }

  private static String text(MountReply reply, int file) {
    return ProviderFixture.text(reply, file);
  }

  private void assertFails(
      ProviderFixture provider, Map<String, String> attributes, String code, String message) {
    provider.assertRejected(call(attributes), code, message);
    logs.assertNoCanary(Canaries.all());
  }

  private static final String DB_OBJECTS =
      """
      - objectName: db-user
        secretPath: secret/data/app/db
        secretKey: username
      - objectName: db-password
        secretPath: /v1/secret/data/app/db
        secretKey: password
        filePermission: 0600
      - objectName: db-port
        secretPath: v1/secret/data/app/db
        secretKey: port
      - objectName: whole
        secretPath: secret/data/app/db
      """;

  @Test
  void kv2_filesModesShapesAndVersions() throws Exception {
    ProviderFixture provider = provider();
    bed.vault.putKv2(
        "",
        "secret",
        "app/enc",
        Map.of("b64", Base64.getEncoder().encodeToString("decoded".getBytes())));
    Map<String, String> attributes =
        bed.attributes(
            DB_OBJECTS
                + "- {objectName: decoded, secretPath: secret/data/app/enc, secretKey: b64, encoding: base64}\n");
    long readsBefore = bed.vault.calls().count("vault.read");
    MountReply reply = mount(provider, attributes);

    assertThat(reply.files())
        .extracting(MountReply.ReturnedFile::path)
        .containsExactly("db-user", "db-password", "db-port", "whole", "decoded");
    assertThat(text(reply, 0)).isEqualTo("app-user");
    assertThat(text(reply, 1)).isEqualTo(Canaries.SECRET);
    assertThat(text(reply, 2)).isEqualTo("5432");
    assertThat(text(reply, 3))
        .startsWith("{\"request_id\":\"")
        .contains("\"lease_id\":\"\",\"lease_duration\":0,\"renewable\":false,\"data\":{\"data\":{")
        .contains("\"username\":\"app-user\"")
        .contains("\"metadata\":{");
    assertThat(text(reply, 4)).isEqualTo("decoded");
    assertThat(reply.files())
        .extracting(MountReply.ReturnedFile::mode)
        .containsExactly(420, 384, 420, 420, 420);
    assertThat(reply.versions())
        .extracting(v -> v.id())
        .containsExactly("db-user", "db-password", "db-port", "whole", "decoded");
    assertThat(reply.versions())
        .allSatisfy(
            v -> assertThat(v.version()).hasSize(44).endsWith("=").matches("[A-Za-z0-9_=-]+"));
    // The same path written three ways is one request: the engine's objects share one Vault read.
    assertThat(bed.vault.calls().count("vault.read") - readsBefore).isEqualTo(2);
  }

  @Test
  void badParameters_exactMessages_noVaultCall_noCanary() throws Exception {
    ProviderFixture provider =
        provider(
            bed.settings()
                .withAllowances(false, false, List.of("https://vault.example:8200"), List.of()));
    long calls = bed.vault.calls().total();
    Map<String, String> base = bed.attributes(DB_OBJECTS);
    Map<String, String> noRole = new java.util.HashMap<>(base);
    noRole.remove("roleName");
    assertFails(
        provider,
        noRole,
        "INVALID_ARGUMENT",
        "missing 'roleName' in SecretProviderClass definition");
    assertFails(
        provider,
        with(base, "vaultKubernetesMountPath", "a", "vaultAuthMountPath", "b"),
        "INVALID_ARGUMENT",
        "cannot set both vaultKubernetesMountPath and vaultAuthMountPath");
    assertFails(
        provider,
        with(base, "objects", "- {objectName: a, secretPath: x}\n- {objectName: a, secretPath: y}"),
        "INVALID_ARGUMENT",
        "each `objectName` within a SecretProviderClass must be unique, but the following keys were duplicated: a");
    assertFails(
        provider,
        with(base, "objects", "- {objectName: a, secretPath: x, secretKey: k, encoding: utf-16}"),
        "INVALID_ARGUMENT",
        "invalid encoding type. Should be utf-8, base64, or hex");
    assertFails(
        provider,
        with(
            base,
            "objects",
            "- {objectName: a, secretPath: " + Canaries.SECRET + ", filePermision: 0600}"),
        "INVALID_ARGUMENT",
        "unknown key \"filePermision\"");
    assertFails(
        provider,
        with(base, "objects", "- !!javax.script.ScriptEngineManager [x]"),
        "INVALID_ARGUMENT",
        "YAML tag");
    assertFails(
        provider,
        with(base, "objects", ""),
        "INVALID_ARGUMENT",
        "no secrets configured - the provider will not read any secret material");
    assertFails(
        provider,
        with(base, "vaultTLSClientCertPath", "/etc/c.pem"),
        "INVALID_ARGUMENT",
        "both client cert and client key must be provided");
    assertFails(
        provider,
        with(base, "vaultSkipTLSVerify", "true"),
        "INVALID_ARGUMENT",
        "--vault-allow-skip-tls-verify");
    assertFails(
        provider,
        with(base, "vaultSkipTLSVerify", Canaries.SECRET),
        "INVALID_ARGUMENT",
        "vaultSkipTLSVerify must be a boolean");
    assertFails(
        provider,
        with(base, "vaultCACertPath", "/etc/ca.pem"),
        "INVALID_ARGUMENT",
        "vaultCACertPath is not under a directory the operator declared for SecretProviderClass TLS files (symlinks and .. resolved): "
            + "the operator enables it with --vault-spc-file-dirs=/etc (chart value secrets-store-provider-vault: vault.tlsFileDirs)");
    assertFails(
        provider,
        with(base, "vaultAddress", "https://evil.example:8200"),
        "INVALID_ARGUMENT",
        "--vault-allowed-addresses");
    assertFails(
        provider,
        with(base, "vaultAddress", "unix:///var/run/vault/agent.sock"),
        "INVALID_ARGUMENT",
        "vaultAddress must be an http or https URL");
    assertFails(
        provider,
        with(
            base,
            "csi.storage.k8s.io/serviceAccount.tokens",
            VaultTestBed.tokens("other", Canaries.TOKEN)),
        "UNAUTHENTICATED",
        "no service account token for audience \"vault\"");
    assertThat(bed.vault.calls().total()).as("no Vault call for bad input").isEqualTo(calls);
  }

  @Test
  void vaultErrors_mapToCodes_andNameTheKeyNeverTheValue() throws Exception {
    ProviderFixture provider = provider();
    assertFails(
        provider,
        with(
            bed.attributes(""),
            "objects",
            "- {objectName: a, secretPath: secret/data/app/db, secretKey: nope}"),
        "NOT_FOUND",
        "objects[0] (\"a\"): key \"nope\" does not exist at the secret path");
    assertFails(
        provider,
        with(
            bed.attributes(""),
            "objects",
            "- {objectName: a, secretPath: secret/data/missing, secretKey: x}"),
        "NOT_FOUND",
        "HTTP 404");
    assertFails(
        provider,
        with(
            bed.attributes(""),
            "objects",
            "- {objectName: a, secretPath: sys/forbidden, secretKey: x}"),
        "PERMISSION_DENIED",
        "HTTP 403");
    bed.vault.putKv2("", "secret", "app/flaky", Map.of("k", "v"));
    bed.vault.faults().inject("vault.read", Fault.error(500), FaultPlan.ALWAYS);
    assertFails(
        provider,
        with(
            bed.attributes(""),
            "objects",
            "- {objectName: a, secretPath: secret/data/app/flaky, secretKey: k}"),
        "UNAVAILABLE",
        "HTTP 500");
    Map<String, String> forged =
        with(
            bed.attributes(DB_OBJECTS),
            "csi.storage.k8s.io/serviceAccount.tokens",
            VaultTestBed.tokens("vault", Canaries.TOKEN));
    bed.vault.faults().clear();
    // A fresh provider holds no Vault token for the identity, so the forged JWT reaches the login,
    // once for the mount's four objects.
    long logins = bed.vault.calls().count("vault.login");
    assertFails(provider(), forged, "PERMISSION_DENIED", "log in with the role");
    assertThat(bed.vault.calls().count("vault.login") - logins).isEqualTo(1);
  }

  @Test
  void versions_matchUpstreamsHmac_stayAcrossRestarts_andChangeExactlyWithContent()
      throws Exception {
    bed.vault.putKv2("", "secret", "app/rotating", Map.of("a", "one", "b", "stable"));
    Map<String, String> attributes =
        bed.attributes(
            """
        - {objectName: a, secretPath: secret/data/app/rotating, secretKey: a}
        - {objectName: b, secretPath: secret/data/app/rotating, secretKey: b}
        """);
    MountReply first = mount(provider(), attributes);
    MountReply restarted = mount(provider(), attributes);
    assertThat(restarted.versions()).isEqualTo(first.versions());

    Secret secret =
        bed.kube
            .secrets()
            .inNamespace(VaultTestBed.PROVIDER_NAMESPACE)
            .withName("vault-csi-provider-hmac-key")
            .get();
    byte[] key = Base64.getDecoder().decode(secret.getData().get("key"));
    assertThat(key).hasSize(32);
    assertThat(secret.getImmutable()).isTrue();
    // Computed here from upstream's struct encoding, independently of the backend's encoder.
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    mac.update(
        ("{\"ObjectName\":\"a\",\"SecretPath\":\"secret/data/app/rotating\",\"SecretKey\":\"a\",\"Method\":\"\","
                + "\"SecretArgs\":null,\"FilePermission\":0,\"Encoding\":\"\"}")
            .getBytes(StandardCharsets.UTF_8));
    mac.update("one".getBytes(StandardCharsets.UTF_8));
    assertThat(first.versions().get(0).version())
        .isEqualTo(Base64.getUrlEncoder().encodeToString(mac.doFinal()));

    bed.vault.putKv2("", "secret", "app/rotating", Map.of("a", "two", "b", "stable"));
    MountReply changed = mount(provider(), attributes);
    assertThat(changed.versions().get(0).version()).isNotEqualTo(first.versions().get(0).version());
    assertThat(changed.versions().get(1).version()).isEqualTo(first.versions().get(1).version());
  }

  @Test
  void fiftyConcurrentMounts_ofOneIdentity_logInOnce() throws Exception {
    ProviderFixture provider = provider();
    bed.vault.faults().inject(FaultPlan.ANY_OPERATION, Fault.latency(Duration.ofMillis(100)));
    int loginsBefore = bed.vault.loginCount();
    ExecutorService pods = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<MountReply>> mounts = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Map<String, String> attributes = bed.attributes(DB_OBJECTS);
        attributes.put("csi.storage.k8s.io/pod.name", "pod-" + i);
        mounts.add(CompletableFuture.supplyAsync(() -> mount(provider, attributes), pods));
      }
      mounts.forEach(m -> assertThat(text(m.join(), 0)).isEqualTo("app-user"));
    } finally {
      pods.shutdownNow();
    }
    assertThat(bed.vault.loginCount() - loginsBefore).isEqualTo(1);
  }

  @Test
  void tokensRevokedInVault_reLoginOnceAndRetry() throws Exception {
    ProviderFixture provider = provider();
    Map<String, String> attributes =
        bed.attributes("- {objectName: u, secretPath: secret/data/app/db, secretKey: username}");
    mount(provider, attributes);
    int logins = bed.vault.loginCount();
    bed.vault.revokeAllTokens();
    // Mounts are served from the cache until the object is stale (2 s); then one reads Vault with
    // the
    // revoked token, logs in again once and retries. No fixed wait: mount until that has happened.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(text(mount(provider, attributes), 0)).isEqualTo("app-user");
              assertThat(bed.vault.loginCount() - logins).isEqualTo(1);
            });
  }

  @Test
  void https_withTheCa_works_withoutIt_isUnavailable_neverSkipped() throws Exception {
    Map<String, String> attributes =
        bed.attributes("- {objectName: u, secretPath: secret/data/app/db, secretKey: username}");
    VaultSettings https =
        VaultSettings.forAddress(bed.httpsAddress())
            .withHmacNamespace(VaultTestBed.PROVIDER_NAMESPACE);
    ProviderFixture trusted =
        provider(https.withTls(new TlsConfig(bed.caFile.toString(), "", "", "", "", false)));
    assertThat(text(mount(trusted, attributes), 0)).isEqualTo("app-user");
    ProviderFixture named =
        provider(
            https.withTls(new TlsConfig(bed.caFile.toString(), "", "localhost", "", "", false)));
    assertThat(text(mount(named, attributes), 0)).isEqualTo("app-user");
    ProviderFixture wrongName =
        provider(
            https.withTls(
                new TlsConfig(bed.caFile.toString(), "", "vault.elsewhere", "", "", false)));
    assertFails(wrongName, attributes, "UNAVAILABLE", "cannot reach Vault");
    ProviderFixture untrusted = provider(https);
    assertFails(untrusted, attributes, "UNAVAILABLE", "cannot reach Vault");
  }

  @Test
  void spcSettings_overrideFlags_namespacesKv1AndQueries() throws Exception {
    // The flag points nowhere; the SecretProviderClass's address wins, as upstream.
    ProviderFixture provider =
        provider(
            VaultSettings.forAddress("http://127.0.0.1:9")
                .withHmacNamespace(VaultTestBed.PROVIDER_NAMESPACE));
    bed.vault.addRole(
        "team",
        "jwt",
        new io.secretsstore.provider.emulators.vault.VaultRole(
            VaultTestBed.ROLE,
            List.of("app"),
            List.of(VaultTestBed.POD_NAMESPACE),
            "vault",
            List.of("secret/", "kv1/"),
            Duration.ofHours(1)));
    bed.vault.putKv2("team", "secret", "scoped", Map.of("k", "in-namespace"));
    bed.vault.putKv1("", "kv1", "legacy", Map.of("k", "v1-value"));
    bed.vault.putKv2("", "secret", "versioned", Map.of("k", "first"));
    bed.vault.putKv2("", "secret", "versioned", Map.of("k", "second"));
    Map<String, String> namespaced =
        with(
            bed.attributes("- {objectName: a, secretPath: secret/data/scoped, secretKey: k}"),
            "vaultAddress",
            bed.httpAddress(),
            "vaultNamespace",
            "team",
            "vaultAuthMountPath",
            "jwt");
    assertThat(text(mount(provider, namespaced), 0)).isEqualTo("in-namespace");
    Map<String, String> plain =
        with(
            bed.attributes(
                """
        - {objectName: legacy, secretPath: kv1/legacy, secretKey: k}
        - {objectName: old, secretPath: 'secret/data/versioned?version=1', secretKey: k}
        - {objectName: new, secretPath: secret/data/versioned, secretKey: k}
        """),
            "vaultAddress",
            bed.httpAddress());
    MountReply reply = mount(provider, plain);
    assertThat(reply.files())
        .extracting(f -> new String(f.contents(), StandardCharsets.UTF_8))
        .containsExactly("v1-value", "first", "second");
  }

  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> copy = new java.util.LinkedHashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      copy.put(pairs[i], pairs[i + 1]);
    }
    return copy;
  }
}
