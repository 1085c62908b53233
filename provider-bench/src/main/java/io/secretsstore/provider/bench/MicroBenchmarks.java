// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.bench;

import io.grpc.stub.StreamObserver;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.audit.PayloadFingerprints;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.FetchEvents;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.grpc.CsiDriverProviderService;
import io.secretsstore.provider.logging.LogSetup;
import io.secretsstore.provider.metrics.MountObserver;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.FilePaths;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import io.secretsstore.provider.proto.v1alpha1.MountResponse;
import io.secretsstore.provider.spi.BackendCalls;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.Backends;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.SecretBackend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import picocli.CommandLine;

/**
 * The hot paths that are pure code: what every Mount pays before and after its backend calls. Each
 * backend's parameter parsing is measured through its public {@link SecretBackend#plan}, which
 * parses and validates the SecretProviderClass parameters without calling the backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MicroBenchmarks {
  private static final String TOKENS = "csi.storage.k8s.io/serviceAccount.tokens";
  private static final String TARGET =
      "/var/lib/kubelet/pods/8d1f9a1e-7a49-4b8e-9f58-2a1d8f1c0b11/volumes/kubernetes.io~csi/secrets/mount";

  private String vaultAttributes;
  private String awsAttributes;
  private MountRequestContext vaultRequest;
  private MountRequestContext awsRequest;
  private SecretBackend vault;
  private SecretBackend aws;
  private List<String> paths;
  private PayloadFingerprints fingerprints;
  private FetchedObject payload;
  private MountEngine engine;
  private CsiDriverProviderService service;
  private MountRequest cachedRequest;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    StringBuilder vaultObjects = new StringBuilder();
    StringBuilder awsObjects = new StringBuilder();
    paths = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      vaultObjects
          .append("- objectName: obj-")
          .append(i)
          .append("\n  secretPath: secret/data/app/obj-")
          .append(i)
          .append("\n  secretKey: value\n");
      awsObjects
          .append("- objectName: app/obj-")
          .append(i)
          .append("\n  objectType: secretsmanager\n  objectAlias: obj-")
          .append(i)
          .append('\n');
      paths.add("dir-" + (i % 3) + "/obj-" + i);
    }
    LogSetup.configure(LogSetup.Format.text, "warn");
    String tokens = tokens("vault", "pods.eks.amazonaws.com");
    vaultAttributes =
        attributes(Map.of("roleName", "app", "objects", vaultObjects.toString(), TOKENS, tokens));
    // Pod Identity: the role comes from the agent at fetch time, not from a service-account lookup
    // at plan time.
    awsAttributes =
        attributes(
            Map.of(
                "region",
                "us-east-1",
                "usePodIdentity",
                "true",
                "objects",
                awsObjects.toString(),
                TOKENS,
                tokens));
    vaultRequest = parse(vaultAttributes);
    awsRequest = parse(awsAttributes);
    vault = started("vault");
    aws = started("aws");
    fingerprints = new PayloadFingerprints(PayloadFingerprints.newKey());
    payload =
        FetchedObject.single(
            new PlannedObject<>("obj", "obj", FileMode.DEFAULT, "obj"),
            "s3cr3t-value-of-a-typical-size-0123456789abcdef"
                .repeat(8)
                .getBytes(StandardCharsets.UTF_8),
            "1");
    engine = new MountEngine(new LatencyBackend(0), EngineSettings.DEFAULT, FetchEvents.NONE);
    service =
        new CsiDriverProviderService(engine, "bench", "0", MountObserver.NONE, MountAuditor.NONE);
    cachedRequest =
        MountRequest.newBuilder()
            .setAttributes(attributes(Map.of("objects", "10")))
            .setSecrets("null")
            .setTargetPath(TARGET)
            .setPermission("420")
            .build();
    service.mount(cachedRequest, new Collect());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
    vault.close();
    aws.close();
  }

  /** A backend with its flags at their defaults (parsed, as {@code serve} parses them). */
  private static SecretBackend started(String name) throws Exception {
    BackendFactory backend = Backends.named(Backends.discover(), name);
    if (backend.options() != null) {
      new CommandLine(CommandLine.Model.CommandSpec.forAnnotatedObject(backend.options()))
          .parseArgs();
    }
    // Parsing only: no plan here reads the cluster, so the context's client is never created.
    return backend.start(BackendContext.standard(BackendCalls.NONE));
  }

  private static String attributes(Map<String, String> parameters) {
    StringBuilder json =
        new StringBuilder(
            "{\"secretProviderClass\":\"app-secrets\","
                + "\"csi.storage.k8s.io/pod.name\":\"app-7d4b9c6f5-x2x9q\",\"csi.storage.k8s.io/pod.namespace\":\"team-a\","
                + "\"csi.storage.k8s.io/pod.uid\":\"8d1f9a1e-7a49-4b8e-9f58-2a1d8f1c0b11\","
                + "\"csi.storage.k8s.io/serviceAccount.name\":\"app\",\"csi.storage.k8s.io/ephemeral\":\"false\"");
    parameters.forEach(
        (key, value) ->
            json.append(",\"")
                .append(key)
                .append("\":\"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                .append('"'));
    return json.append('}').toString();
  }

  /**
   * The driver's tokens attribute: an (unsigned) token of the pod's service account per audience.
   */
  private static String tokens(String... audiences) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    StringBuilder json = new StringBuilder("{");
    for (String audience : audiences) {
      String claims =
          "{\"aud\":[\""
              + audience
              + "\"],\"sub\":\"system:serviceaccount:team-a:app\",\"exp\":4102444800}";
      String jwt =
          base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
              + "."
              + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
              + ".c2lnbmF0dXJl";
      json.append(json.length() > 1 ? "," : "")
          .append('"')
          .append(audience)
          .append("\":{\"token\":\"")
          .append(jwt)
          .append("\",\"expirationTimestamp\":\"2100-01-01T00:00:00Z\"}");
    }
    return json.append('}').toString();
  }

  private static MountRequestContext parse(String attributes) {
    return MountRequestContext.parse(attributes, "null", TARGET, "420", List.of());
  }

  /** The driver's attributes JSON and request fields into a typed request. */
  @Benchmark
  public MountRequestContext attributesParsing() {
    return parse(vaultAttributes);
  }

  /** The vault backend's SecretProviderClass parameters (10 objects) into a validated plan. */
  @Benchmark
  public Object vaultParameters() {
    return vault.plan(vaultRequest);
  }

  /** The aws backend's SecretProviderClass parameters (10 objects) into a validated plan. */
  @Benchmark
  public Object awsParameters() {
    return aws.plan(awsRequest);
  }

  /** The driver's and the provider's path rules and the clash check, for 10 file paths. */
  @Benchmark
  public void pathValidation(Blackhole hole) {
    for (String path : paths) {
      hole.consume(FilePaths.driverViolation(path));
      hole.consume(FilePaths.providerViolation(path));
    }
    hole.consume(FilePaths.firstClash(paths));
  }

  /** The keyed HMAC of one served object (object versions and payload fingerprints). */
  @Benchmark
  public String hmacVersion() {
    return fingerprints.of(payload);
  }

  /**
   * A whole cached Mount in the gRPC service: parse, cache hit for 10 objects, response assembly.
   */
  @Benchmark
  public MountResponse cachedMountResponse() {
    Collect collect = new Collect();
    service.mount(cachedRequest, collect);
    return collect.response;
  }

  private static final class Collect implements StreamObserver<MountResponse> {
    MountResponse response;

    @Override
    public void onNext(MountResponse value) {
      response = value;
    }

    @Override
    public void onError(Throwable t) {
      throw new IllegalStateException("the benchmark Mount failed", t);
    }

    @Override
    public void onCompleted() {}
  }
}
