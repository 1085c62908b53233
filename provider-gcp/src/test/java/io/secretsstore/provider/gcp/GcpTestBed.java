// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.gcp.GcpEmulator;
import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.kube.ServiceAccountAnnotations;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ProviderFixture;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The world a GCP mount runs in for integration tests: the GCP emulator (Secret Manager over gRPC
 * with TLS, STS and IAM Credentials over HTTPS) with its own CA, the canary pod's service account
 * {@code team-a/app} allowed to read {@code projects/emulator-project/secrets/app-*} directly, and
 * a Google service account {@code reader@...} that {@code team-a/app} may impersonate and that may
 * read {@code .../secrets/gsa-*} and the regional {@code .../locations/us-central1/secrets/*}.
 */
final class GcpTestBed implements AutoCloseable {
  static final String NAMESPACE = "team-a";
  static final String PROJECT = "projects/" + GcpEmulator.PROJECT;
  static final String READER = "reader@" + GcpEmulator.PROJECT + ".iam.gserviceaccount.com";
  private static final JsonMapper JSON = JsonMapper.shared();

  /** The fast engine without background refresh, for tests that count every backend call. */
  static final EngineSettings QUIET =
      new EngineSettings(
          ProviderFixture.FAST.limits(),
          new CacheSettings(
              Duration.ofHours(1),
              Duration.ZERO,
              Duration.ofHours(2),
              Duration.ofHours(1),
              64L << 20,
              10_000),
          ProviderFixture.FAST.resilience(),
          16);

  final GcpEmulator gcp = new GcpEmulator();
  final StartedEmulator started;
  final Path caFile;

  /** Every pod token minted, so tests can scan output for them as canaries. */
  final List<String> mintedTokens = new ArrayList<>();

  GcpTestBed() throws IOException {
    caFile = Files.createTempFile("gcp-ca", ".pem");
    started = gcp.start(EmulatorOptions.create(caFile));
    gcp.grant(gcp.workloadMember(NAMESPACE, "app"), PROJECT + "/secrets/app-");
    gcp.addServiceAccount(READER);
    gcp.allowImpersonation(READER, gcp.workloadMember(NAMESPACE, "app"));
    gcp.grant(
        GcpEmulator.serviceAccountMember(READER),
        PROJECT + "/secrets/gsa-",
        PROJECT + "/locations/");
  }

  static WorkloadIdentityPool pool() {
    return WorkloadIdentityPool.gke(
        GcpEmulator.PROJECT,
        GcpEmulator.CLUSTER_LOCATION,
        GcpEmulator.CLUSTER_NAME,
        "https://container.googleapis.com/v1");
  }

  /**
   * The emulator for every endpoint, its CA, the emulated cluster's pool, and these fixed mappings.
   */
  GcpSettings settings(Map<String, String> serviceAccountFor) {
    URI https = started.endpoint("https");
    return GcpSettings.emulator(
        started.settings().get("GCP_SECRETMANAGER_ENDPOINT"),
        https.resolve("/v1/identitybindingtoken"),
        https,
        caFile,
        pool(),
        serviceAccountFor);
  }

  /** Direct federated access (no Google service account). */
  GcpSettings settings() {
    return settings(Map.of());
  }

  /** {@code team-a/app} impersonates {@link #READER}. */
  GcpSettings impersonating() {
    return settings(Map.of(NAMESPACE + "/app", READER));
  }

  GcpBackend backend(GcpSettings settings, Clock clock) {
    GcpBackend backend =
        GcpBackend.start(
            settings,
            ServiceAccountAnnotations.TTL,
            new BackendContext(clock, new CredentialCache(clock, 1000)));
    return backend;
  }

  GcpBackend backend(GcpSettings settings) {
    return backend(settings, Clock.systemUTC());
  }

  /** A pod token of {@code team-a/<serviceAccount>} for the pool, valid for an hour. */
  synchronized String token(String serviceAccount) {
    String token =
        gcp.mintServiceAccountToken(
            NAMESPACE, serviceAccount, GcpEmulator.POOL, Duration.ofHours(1));
    mintedTokens.add(token);
    return token;
  }

  /** The driver's attributes for the canary pod with a real token for the pool. */
  Map<String, String> attributes(String secrets, String... extra) {
    Map<String, String> attributes = new LinkedHashMap<>(Canaries.podAttributes());
    attributes.put(
        "csi.storage.k8s.io/serviceAccount.tokens", tokens(Map.of(GcpEmulator.POOL, token("app"))));
    if (secrets != null) {
      attributes.put("secrets", secrets);
    }
    for (int i = 0; i < extra.length; i += 2) {
      attributes.put(extra[i], extra[i + 1]);
    }
    return attributes;
  }

  /** Adds a value that must never appear in any output (e.g. a line of a private key). */
  synchronized void plantCanary(String value) {
    mintedTokens.add(value);
  }

  /** Every canary: the planted ones and each token minted so far. */
  String[] canaries() {
    List<String> all = new ArrayList<>(List.of(Canaries.all()));
    synchronized (this) {
      all.addAll(mintedTokens);
    }
    return all.toArray(String[]::new);
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
    gcp.close();
    Files.deleteIfExists(caFile);
  }
}
