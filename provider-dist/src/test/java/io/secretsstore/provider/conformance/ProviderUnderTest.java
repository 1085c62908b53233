// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.secretsstore.provider.audit.FingerprintIndex;
import io.secretsstore.provider.audit.JsonLinesAuditSink;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.audit.PayloadFingerprints;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.grpc.ProviderRuntime;
import io.secretsstore.provider.grpc.SocketPath;
import io.secretsstore.provider.json.JsonMappers;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.metrics.ProviderMetrics;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.Backends;
import io.secretsstore.provider.spi.SecretBackend;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;
import tools.jackson.core.JacksonException;

/**
 * One backend served on a real Unix socket by the real runtime, against its emulator, the way
 * {@code serve} assembles it (flags, metrics, audit trail), plus a driver-like client. Everything
 * it records (audit events, metric labels) can be scanned for canaries.
 */
final class ProviderUnderTest implements AutoCloseable {
  static final String TARGET =
      "/var/lib/kubelet/pods/0b7c3e52/volumes/kubernetes.io~csi/secrets/mount";

  /**
   * A nodePublishSecretRef with the canary where each backend would look for credentials: Azure's
   * {@code clientid}/{@code clientsecret}, GCP's {@code key.json}.
   */
  static final String NODE_PUBLISH_SECRETS =
      json(
          Map.of(
              "clientid",
              "0a1b2c3d-0000-0000-0000-000000000000",
              "clientsecret",
              Canaries.NODE_PUBLISH,
              "key.json",
              "{\"type\":\"service_account\",\"private_key\":\"" + Canaries.NODE_PUBLISH + "\"}"));

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  final CaseBook book;
  final CloudEmulator emulator;
  final StartedEmulator started;
  final List<String> flags;
  private final Path work;
  private final SecretBackend backend;

  /**
   * The process's Kubernetes client, as serve has one (from the environment, created only if a case
   * needs it).
   */
  private final SharedKubeClient kube = SharedKubeClient.fromEnvironment();

  private final ProviderMetrics metrics = new ProviderMetrics("under-test", () -> 0);
  private final ByteArrayOutputStream audit = new ByteArrayOutputStream();
  private final ProviderRuntime runtime;
  private final ProviderClient client;
  private final String podToken;

  private ProviderUnderTest(CaseBook book, EngineSettings settings, boolean trustCa)
      throws IOException {
    this.book = book;
    work = Files.createTempDirectory(Path.of("/tmp"), "cf");
    emulator = book.emulator();
    started = emulator.start(EmulatorOptions.create(work.resolve("ca.pem")));
    flags = book.prepare(emulator, started, work, trustCa);
    BackendFactory factory = Backends.named(Backends.discover(), book.backend());
    // Exactly what serve does with the backend's flags.
    new CommandLine(CommandLine.Model.CommandSpec.forAnnotatedObject(factory.options()))
        .parseArgs(flags.toArray(String[]::new));
    try {
      backend =
          factory.start(
              new BackendContext(
                      Clock.systemUTC(),
                      new CredentialCache(Clock.systemUTC(), 1000),
                      metrics.callsOf(factory.name()))
                  .withKube(kube));
    } catch (Exception e) {
      throw new IOException("the " + book.backend() + " backend did not start", e);
    }
    MountAuditor auditor =
        new MountAuditor(
            JsonLinesAuditSink.to(audit),
            new PayloadFingerprints(PayloadFingerprints.newKey()),
            new FingerprintIndex(1000),
            "node-1",
            Clock.systemUTC());
    runtime =
        ProviderRuntime.start(
            backend,
            settings,
            SocketPath.of(work, backend.name()),
            metrics,
            metrics,
            auditor,
            8,
            Duration.ofSeconds(2),
            Duration.ZERO);
    client = ProviderClient.connect(runtime.socket());
    podToken = book.token(emulator, CaseBook.NAMESPACE, CaseBook.SERVICE_ACCOUNT);
  }

  static ProviderUnderTest start(CaseBook book, EngineSettings settings) throws IOException {
    return new ProviderUnderTest(book, settings, true);
  }

  /** A provider whose emulator holds the secrets {@code conf/<name>} with canary values. */
  static ProviderUnderTest seeded(CaseBook book, EngineSettings settings, String... names)
      throws IOException {
    ProviderUnderTest provider = start(book, settings);
    for (String name : names) {
      book.put(provider.emulator, name, Canaries.SECRET + "-" + name);
    }
    return provider;
  }

  /** A provider whose backend is not told the emulator's CA. */
  static ProviderUnderTest withoutTheEmulatorsCa(CaseBook book, EngineSettings settings)
      throws IOException {
    return new ProviderUnderTest(book, settings, false);
  }

  /**
   * The driver's attributes for the canary pod with its real token, the backend's parameters and
   * these objects.
   */
  Map<String, String> attributes(String objects) {
    Map<String, String> attributes = new LinkedHashMap<>(Canaries.podAttributes());
    attributes.putAll(book.parameters());
    attributes.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        tokens(book.audience(), podToken, Instant.now().plusSeconds(3600).toString()));
    attributes.put(book.objectsKey(), objects);
    return attributes;
  }

  static String tokens(String audience, String token, String expiry) {
    return json(Map.of(audience, Map.of("token", token, "expirationTimestamp", expiry)));
  }

  static String json(Object value) {
    try {
      return JsonMappers.WRITER.writeValueAsString(value);
    } catch (JacksonException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A MountRequest as the driver sends it, with the nodePublishSecretRef canary in {@code secrets}.
   */
  static ProviderClient.MountCall call(Map<String, String> attributes) {
    return call(json(attributes), "420");
  }

  static ProviderClient.MountCall call(String attributes, String permission) {
    return new ProviderClient.MountCall(
        attributes, NODE_PUBLISH_SECRETS, TARGET, permission, List.of());
  }

  MountReply mount(ProviderClient.MountCall call) {
    return client.mount(call, TIMEOUT);
  }

  /** Mounts these objects for the canary pod. */
  MountReply mount(String objects) {
    return mount(call(attributes(objects)));
  }

  /**
   * Mounts object {@code one} for the canary pod, so that the first use of its identity (a login,
   * Key Vault's bearer challenge, which a new client meets once per concurrent request) is not
   * counted among the calls of the requests under test.
   */
  void warmUp() {
    mount(book.objects(book.object("one")));
  }

  /**
   * Asserts the mount fails with {@code code} and no canary in its message; returns the message.
   */
  String rejected(ProviderClient.MountCall call, String code) {
    try {
      MountReply reply = client.mount(call, TIMEOUT);
      return fail(
          "expected " + code + " but the mount returned " + reply.files().size() + " files");
    } catch (ProviderCallException e) {
      assertThat(e.code()).as(e.description()).isEqualTo(code);
      LogCapture.assertNoCanaryIn(e.description(), canaries());
      return e.description();
    }
  }

  /**
   * Asserts the mount fails with one of the codes and no canary in its message; returns the code.
   */
  String rejectedWithAnyOf(ProviderClient.MountCall call, String... codes) {
    try {
      MountReply reply = client.mount(call, TIMEOUT);
      return fail(
          "expected one of "
              + List.of(codes)
              + " but the mount returned "
              + reply.files().size()
              + " files");
    } catch (ProviderCallException e) {
      assertThat(e.code()).as(e.description()).isIn((Object[]) codes);
      LogCapture.assertNoCanaryIn(e.description(), canaries());
      return e.code();
    }
  }

  /** Calls the emulator received in all. */
  long calls() {
    return emulator.calls().total();
  }

  long calls(String operation) {
    return emulator.calls().count(operation);
  }

  ProviderClient client() {
    return client;
  }

  /** The started backend, for its parser alone. */
  SecretBackend backend() {
    return backend;
  }

  /** The canaries plus the real pod token, which must not leak either. */
  String[] canaries() {
    return Stream.concat(Stream.of(Canaries.all()), Stream.of(podToken)).toArray(String[]::new);
  }

  /** Fails if a canary is in the logs, the audit events or a metric label. */
  void assertNothingLeaked(LogCapture logs) {
    logs.assertNoCanary(canaries());
    LogCapture.assertNoCanaryIn(audit.toString(StandardCharsets.UTF_8), canaries());
    LogCapture.assertNoCanaryIn(metricLabels(), canaries());
  }

  /** Every label name and value of every metric. */
  String metricLabels() {
    List<String> labels = new ArrayList<>();
    for (MetricSnapshot snapshot : metrics.registry().scrape()) {
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        point.getLabels().forEach(label -> labels.add(label.getName() + "=" + label.getValue()));
      }
    }
    return String.join("\n", labels);
  }

  /** The audit trail so far, one JSON event per line. */
  String auditTrail() {
    return audit.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    client.close();
    runtime.close();
    backend.close();
    kube.close();
    metrics.close();
    emulator.close();
    try (Stream<Path> paths = Files.walk(work)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
