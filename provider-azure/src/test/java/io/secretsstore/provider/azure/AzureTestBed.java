// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.azure.AzureEmulator;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ProviderFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The world an Azure mount runs in for integration tests: the Azure emulator over HTTPS with its
 * own CA, vault {@code kv-app} in tenant {@code tenant-a}, and application {@link #CLIENT_ID}
 * federated with the canary pod's service account ({@code team-a/app}), whose client secret is the
 * nodePublishSecretRef canary, allowed to read the vault.
 */
final class AzureTestBed implements AutoCloseable {
  static final String TENANT = "tenant-a";
  static final String VAULT = "kv-app";
  static final String CLIENT_ID = "0a1b2c3d-1111-2222-3333-444455556666";
  static final String NAMESPACE = "team-a";
  static final String SUBJECT = "system:serviceaccount:team-a:app";

  /** {@code objects} naming the secret {@code db-password}. */
  static final String DB_PASSWORD = objects("objectName: db-password\nobjectType: secret");

  private static final JsonMapper JSON = JsonMapper.shared();

  final AzureEmulator azure = new AzureEmulator();
  final StartedEmulator started;
  final Path caFile;
  private final java.util.List<String> minted = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.Deque<AutoCloseable> running =
      new java.util.concurrent.ConcurrentLinkedDeque<>();

  AzureTestBed() throws IOException {
    caFile = Files.createTempFile("azure-ca", ".pem");
    started = azure.start(EmulatorOptions.create(caFile));
    azure.createVault(VAULT, TENANT);
    azure.addApplication(TENANT, CLIENT_ID, Canaries.NODE_PUBLISH, SUBJECT);
    azure.allow(VAULT, CLIENT_ID);
  }

  /**
   * A bed whose vault holds {@code db-password} = {@link Canaries#SECRET} (objects {@link
   * #DB_PASSWORD}).
   */
  static AzureTestBed withDbPassword() throws IOException {
    AzureTestBed bed = new AzureTestBed();
    bed.azure.setSecret(VAULT, "db-password", Canaries.SECRET);
    return bed;
  }

  AzureSettings settings() {
    return AzureSettings.emulated(started.endpoint("keyvault"), started.endpoint("aad"), caFile);
  }

  /** The emulator's IMDS, NMI and identity-binding proxy (with its SNI name and CA). */
  AzureSettings.TokenEndpoints endpoints() {
    return new AzureSettings.TokenEndpoints(
        started.endpoint("imds"),
        started.endpoint("nmi"),
        started.endpoint("token-proxy"),
        AzureEmulator.TOKEN_PROXY_SNI_NAME,
        caFile);
  }

  /** Settings with the node identities enabled and every token source at the emulator. */
  AzureSettings nodeIdentitySettings() {
    return settings().withNodeIdentities(true, true).withEndpoints(endpoints());
  }

  AzureBackend backend(AzureSettings settings) {
    Clock clock = Clock.systemUTC();
    return AzureBackend.start(
        settings, new BackendContext(clock, new CredentialCache(clock, 1000)));
  }

  /** The provider stack (fast engine, real socket) over a started backend; closed with this bed. */
  ProviderFixture provider(AzureSettings settings) throws IOException {
    return provider(settings, ProviderFixture.FAST);
  }

  /** The provider stack with other engine settings over a started backend; closed with this bed. */
  ProviderFixture provider(AzureSettings settings, EngineSettings engine) throws IOException {
    AzureBackend backend = backend(settings);
    running.push(backend);
    ProviderFixture fixture = ProviderFixture.start(backend, engine);
    running.push(fixture);
    return fixture;
  }

  /** Closes the providers started so far, newest first. */
  void closeProviders() throws Exception {
    for (AutoCloseable closeable = running.poll(); closeable != null; closeable = running.poll()) {
      closeable.close();
    }
  }

  /** A fresh service-account token of {@code team-a/<serviceAccount>} for the exchange audience. */
  String token(String serviceAccount) {
    return token(serviceAccount, AzureEmulator.EXCHANGE_AUDIENCE);
  }

  /** A fresh service-account token of {@code team-a/<serviceAccount>} for {@code audience}. */
  String token(String serviceAccount, String audience) {
    String token =
        azure.mintServiceAccountToken(NAMESPACE, serviceAccount, audience, Duration.ofHours(1));
    minted.add(token);
    return token;
  }

  /** Every token minted so far, to scan output for. */
  String[] secrets() {
    List<String> all = new java.util.ArrayList<>(List.of(Canaries.all()));
    all.addAll(minted);
    return all.toArray(new String[0]);
  }

  /**
   * The driver's attributes for the canary pod with workload identity, plus {@code extra} pairs (a
   * null value removes a key).
   */
  Map<String, String> attributes(String objects, String... extra) {
    Map<String, String> attributes = new LinkedHashMap<>(Canaries.podAttributes());
    attributes.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        tokens(Map.of(AzureEmulator.EXCHANGE_AUDIENCE, token("app"))));
    attributes.put("keyvaultName", VAULT);
    attributes.put("tenantId", TENANT);
    attributes.put("clientID", CLIENT_ID);
    attributes.put("objects", objects);
    return with(attributes, extra);
  }

  /** {@code attributes} changed by {@code extra} key/value pairs, a null value removing the key. */
  static Map<String, String> with(Map<String, String> attributes, String... extra) {
    Map<String, String> changed = new LinkedHashMap<>(attributes);
    for (int i = 0; i < extra.length; i += 2) {
      if (extra[i + 1] == null) {
        changed.remove(extra[i]);
      } else {
        changed.put(extra[i], extra[i + 1]);
      }
    }
    return changed;
  }

  /** Every token minted so far and every access token the emulator issued, to scan output for. */
  String[] secretsAndAccessTokens() {
    List<String> all = new java.util.ArrayList<>(List.of(secrets()));
    all.addAll(azure.issuedAccessTokens());
    return all.toArray(new String[0]);
  }

  /** {@code objects} as upstream writes it: {@code array:} of YAML strings. */
  static String objects(String... elements) {
    StringBuilder yaml = new StringBuilder("array:\n");
    for (String element : elements) {
      yaml.append("  - |\n");
      for (String line : element.split("\n")) {
        yaml.append("    ").append(line).append('\n');
      }
    }
    return yaml.toString();
  }

  static String tokens(Map<String, String> byAudience) {
    Map<String, Object> map = new LinkedHashMap<>();
    byAudience.forEach(
        (audience, token) ->
            map.put(
                audience,
                Map.of(
                    "token",
                    token,
                    "expirationTimestamp",
                    Instant.now().plusSeconds(3600).toString())));
    return json(map);
  }

  static String json(Object value) {
    return JSON.writeValueAsString(value);
  }

  static ProviderClient.MountCall call(Map<String, String> attributes) {
    return call(attributes, "null");
  }

  static ProviderClient.MountCall call(Map<String, String> attributes, String secretsJson) {
    return new ProviderClient.MountCall(
        json(attributes),
        secretsJson,
        "/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/v/mount",
        "420",
        List.of());
  }

  @Override
  public void close() throws IOException {
    try {
      closeProviders();
    } catch (Exception e) {
      throw new IOException("cannot close a provider", e);
    }
    azure.close();
    Files.deleteIfExists(caFile);
  }
}
