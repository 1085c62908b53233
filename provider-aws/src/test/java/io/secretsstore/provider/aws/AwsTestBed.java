// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.aws.AwsEmulator;
import io.secretsstore.provider.fetch.CacheSettings;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.kube.ServiceAccountAnnotations;
import io.secretsstore.provider.kube.SharedKubeClient;
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
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The world an AWS mount runs in for integration tests: the AWS emulator over HTTPS with its own
 * CA, a role trusted for the canary pod's service account ({@code team-a/app}) that may read names
 * under {@code app/} and {@code /app/}, and helpers for driver attributes with real tokens.
 */
final class AwsTestBed implements AutoCloseable {
  static final String NAMESPACE = "team-a";
  static final String REGION = "us-east-1";
  static final String FAILOVER = "us-west-2";
  static final String ROLE = "arn:aws:iam::" + AwsEmulator.ACCOUNT + ":role/app";
  static final String SUBJECT = "system:serviceaccount:team-a:app";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The shared fast engine of backend integration tests. */
  static final EngineSettings FAST = ProviderFixture.FAST;

  /**
   * FAST without background refreshes within a test, so backend call counts are the mounts' own.
   */
  static final EngineSettings NO_POLL =
      new EngineSettings(
          FAST.limits(),
          new CacheSettings(
              Duration.ofMinutes(10),
              Duration.ZERO,
              Duration.ofMinutes(20),
              Duration.ofMinutes(30),
              64L << 20,
              10_000),
          FAST.resilience(),
          FAST.fetchConcurrency());

  final AwsEmulator aws = new AwsEmulator();
  final StartedEmulator started;
  final Path caFile;
  private final List<AutoCloseable> tracked = new ArrayList<>();

  AwsTestBed() throws IOException {
    caFile = Files.createTempFile("aws-ca", ".pem");
    started = aws.start(EmulatorOptions.create(caFile));
    aws.addRole(ROLE, Logins.IRSA_AUDIENCE, SUBJECT);
    aws.allow(ROLE, "app/", "/app/");
    aws.podIdentityRole(NAMESPACE, "app", ROLE);
  }

  URI endpoint() {
    return started.endpoint("https");
  }

  /** The emulator over HTTPS with its CA, region us-east-1, team-a/app mapped to the role. */
  AwsSettings settings() {
    URI agent = started.endpoint("http").resolve("/v1/credentials");
    return AwsSettings.of(endpoint(), caFile, REGION, Map.of(NAMESPACE + "/app", ROLE))
        .withAgent(PodIdentityAgent.at(agent, agent));
  }

  AwsBackend backend(AwsSettings settings, Clock clock) {
    return backend(null, settings, clock);
  }

  /** A started backend that reads the Kubernetes API through this client (null: none). */
  AwsBackend backend(KubernetesClient kube, AwsSettings settings, Clock clock) {
    BackendContext context = new BackendContext(clock, new CredentialCache(clock, 1000));
    return AwsBackend.start(
        settings,
        ServiceAccountAnnotations.TTL,
        context.withKube(kube == null ? SharedKubeClient.none() : SharedKubeClient.of(kube)));
  }

  /** A provider on its own socket for a started backend; both closed by {@link #closeTracked}. */
  ProviderFixture provider(AwsBackend backend, EngineSettings engine) throws IOException {
    track(backend);
    return track(ProviderFixture.start(backend, engine));
  }

  /** As {@link #provider(AwsBackend, EngineSettings)} for a backend without Kubernetes. */
  ProviderFixture provider(AwsSettings settings, EngineSettings engine) throws IOException {
    return provider(backend(settings), engine);
  }

  /** Closes it after the test, in {@link #closeTracked}. */
  <T extends AutoCloseable> T track(T closeable) {
    tracked.add(closeable);
    return closeable;
  }

  /** After each test: faults cleared, and what the test tracked closed, last first. */
  void closeTracked() throws Exception {
    aws.faults().clear();
    for (int i = tracked.size() - 1; i >= 0; i--) {
      tracked.get(i).close();
    }
    tracked.clear();
  }

  AwsBackend backend(AwsSettings settings) {
    return backend(settings, Clock.systemUTC());
  }

  /** The driver's attributes for the canary pod with a real {@code sts.amazonaws.com} token. */
  Map<String, String> attributes(String objects, String... extra) {
    return attributesOf("app", objects, extra);
  }

  /**
   * The driver's attributes for the canary pod running as another service account, with its own
   * tokens.
   */
  Map<String, String> attributesOf(String serviceAccount, String objects, String... extra) {
    Map<String, String> attributes = new LinkedHashMap<>(Canaries.podAttributes());
    attributes.put("csi.storage.k8s.io/serviceAccount.name", serviceAccount);
    attributes.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        tokens(
            Map.of(
                Logins.IRSA_AUDIENCE,
                    aws.mintWebIdentityToken(
                        NAMESPACE, serviceAccount, Logins.IRSA_AUDIENCE, Duration.ofHours(1)),
                Logins.POD_IDENTITY_AUDIENCE,
                    aws.mintWebIdentityToken(
                        NAMESPACE,
                        serviceAccount,
                        Logins.POD_IDENTITY_AUDIENCE,
                        Duration.ofHours(1)))));
    attributes.put("objects", objects);
    for (int i = 0; i < extra.length; i += 2) {
      attributes.put(extra[i], extra[i + 1]);
    }
    return attributes;
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
    return new ProviderClient.MountCall(
        json(attributes),
        "null",
        "/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/v/mount",
        "420",
        List.of());
  }

  @Override
  public void close() throws IOException {
    aws.close();
    Files.deleteIfExists(caFile);
  }
}
