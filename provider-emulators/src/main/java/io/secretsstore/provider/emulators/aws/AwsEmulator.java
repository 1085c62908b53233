// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import io.secretsstore.provider.emulators.CallCounter;
import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorHandler;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorServer;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.Route;
import io.secretsstore.provider.emulators.SeedNode;
import io.secretsstore.provider.emulators.SeededIdentity;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * AWS as the provider sees it, on one HTTP(S) server: Secrets Manager and SSM (JSON 1.1, told apart
 * by {@code X-Amz-Target}), STS {@code AssumeRoleWithWebIdentity} (query protocol, XML) and the EKS
 * Pod Identity agent ({@code GET /v1/credentials}).
 *
 * <p>Every Secrets Manager and SSM call must carry a SigV4 signature (service {@code
 * secretsmanager} or {@code ssm}, the region of the credential scope selects the data) made with
 * credentials this emulator issued, or with {@link #staticCredentials()}. A role reads only the
 * names {@link #allow}ed for it; the static pair reads everything.
 *
 * <p>Operations, for {@link #calls()} and {@link #faults()}: {@code aws.secretsmanager.<Action>}
 * ({@code GetSecretValue}, {@code DescribeSecret}, {@code BatchGetSecretValue}, {@code
 * ListSecretVersionIds}, {@code PutSecretValue}), {@code aws.ssm.GetParameters}, {@code
 * aws.sts.AssumeRoleWithWebIdentity}, {@code aws.podidentity.credentials}, and {@code aws.unknown}
 * for any other {@code X-Amz-Target}. The resource of a Secrets Manager call is the secret's name
 * (an ARN SecretId is reduced to it); of {@code GetParameters}, the requested name when there is
 * exactly one. Injected {@code Fault.error(429)} renders as {@code ThrottlingException}.
 *
 * <p>{@code start} returns endpoints {@code http}, {@code https} and {@code pod-identity} (the
 * agent's full plain-HTTP URL, as {@code http://169.254.170.23/v1/credentials} would be), and
 * settings {@code AWS_ENDPOINT_URL} (https), {@code AWS_CA_BUNDLE} and {@code AWS_REGION}.
 *
 * <p>Seeding methods are thread-safe and work before and after {@link #start}.
 */
public final class AwsEmulator implements CloudEmulator {
  /** Seeds secrets and identities from this cloud's section of a seed file; see {@link AwsSeed}. */
  @Override
  public List<SeededIdentity> seed(StartedEmulator started, SeedNode section) {
    return AwsSeed.apply(this, started, section);
  }

  /** The account every ARN is in. */
  public static final String ACCOUNT = SecretsManager.ACCOUNT;

  /** The region {@code start} advertises as {@code AWS_REGION}. */
  public static final String DEFAULT_REGION = "us-east-1";

  private final FaultPlan faults = new FaultPlan();
  private final CallCounter calls = new CallCounter();
  private final Credentials credentials = new Credentials();
  private final SigV4 sigV4 = new SigV4(credentials);
  private final SecretsManager secrets = new SecretsManager(credentials);
  private final ParameterStore parameters = new ParameterStore(credentials);
  private final WebIdentity identity = new WebIdentity(credentials);
  private EmulatorServer server;

  /** An emulator with nothing seeded; no I/O until {@link #start}. */
  public AwsEmulator() {}

  @Override
  public String name() {
    return "aws";
  }

  /**
   * Creates a secret or adds a version of it; the new version takes AWSCURRENT. Returns its
   * VersionId.
   */
  public String putSecret(String region, String name, String secretString) {
    return secrets.put(
        req(region),
        req(name),
        Objects.requireNonNull(secretString, "secretString"),
        null,
        null,
        List.of(SecretsManager.CURRENT));
  }

  /** As {@link #putSecret}, with a binary value ({@code SecretBinary}). */
  public String putSecretBinary(String region, String name, byte[] secretBinary) {
    return secrets.put(
        req(region),
        req(name),
        null,
        Objects.requireNonNull(secretBinary, "secretBinary"),
        null,
        List.of(SecretsManager.CURRENT));
  }

  /**
   * Creates a secret whose ARN is the given one rather than this emulator's own pattern, so a
   * SecretProviderClass written for a real account mounts unchanged. Returns its VersionId.
   */
  public String putSecretAt(String arn, String secretString) {
    return secrets.putAt(req(arn), Objects.requireNonNull(secretString, "secretString"));
  }

  /**
   * The secret's ARN: {@code arn:aws:secretsmanager:<region>:111122223333:secret:<name>-AbCdEf}.
   */
  public String arn(String region, String name) {
    return SecretsManager.arn(req(region), req(name));
  }

  /** Moves a staging label to a version (moving AWSCURRENT makes the old current AWSPREVIOUS). */
  public void labelVersion(String region, String name, String versionId, String stage) {
    secrets.label(req(region), req(name), req(versionId), req(stage));
  }

  /** Stores a new version (1, 2, ...) of a String or SecureString parameter. */
  public void putParameter(String region, String name, String value, boolean secure) {
    parameters.put(req(region), req(name), Objects.requireNonNull(value, "value"), secure);
  }

  /** Moves a label to a parameter version, for {@code name:label} selectors. */
  public void labelParameter(String region, String name, long version, String label) {
    parameters.label(req(region), req(name), version, req(label));
  }

  /**
   * Lets holders of a web identity token with this audience and subject ({@code *}: any) assume the
   * role.
   */
  public void addRole(String roleArn, String audience, String subject) {
    identity.addRole(req(roleArn), req(audience), req(subject));
  }

  /** Lets a role read secrets and parameters whose names start with any of these prefixes. */
  public void allow(String roleArn, String... namePrefixes) {
    credentials.allow(req(roleArn), namePrefixes.clone());
  }

  /** Which role the Pod Identity agent gives a service account. */
  public void podIdentityRole(String namespace, String serviceAccount, String roleArn) {
    identity.podIdentityRole(req(namespace), req(serviceAccount), req(roleArn));
  }

  /**
   * A projected service-account token (RS256, this emulator's key): {@code iss}, {@code sub} {@code
   * system:serviceaccount:<ns>:<sa>}, {@code aud} [audience], {@code iat}, {@code exp}. A zero or
   * negative ttl gives an expired token.
   */
  public String mintWebIdentityToken(
      String namespace, String serviceAccount, String audience, Duration ttl) {
    return identity.mint(
        req(namespace), req(serviceAccount), req(audience), Objects.requireNonNull(ttl, "ttl"));
  }

  /**
   * An access key id and secret access key that never expire and may read everything: for tests of
   * the emulator.
   */
  public String[] staticCredentials() {
    Credentials.Session pair = credentials.staticPair();
    return new String[] {pair.accessKeyId(), pair.secretAccessKey()};
  }

  /**
   * Expires every session credential issued so far (STS and Pod Identity): later calls signed with
   * them get {@code ExpiredTokenException}, so a client must fetch new ones.
   */
  public void expireSessions() {
    credentials.expireSessions();
  }

  /** Calls of {@code AssumeRoleWithWebIdentity}, answered or failed. */
  public int stsCalls() {
    return (int) calls.count("aws.sts.AssumeRoleWithWebIdentity");
  }

  @Override
  public synchronized StartedEmulator start(EmulatorOptions options) throws IOException {
    if (server != null) {
      throw new IllegalStateException("the aws emulator is already started");
    }
    server =
        EmulatorServer.start(
            options.server(name()).withFaults(faults).withCalls(calls).withErrors(new AwsErrors()));
    json(server, "secretsmanager", "GetSecretValue", secrets::getSecretValue);
    json(server, "secretsmanager", "DescribeSecret", secrets::describeSecret);
    json(server, "secretsmanager", "ListSecretVersionIds", secrets::listSecretVersionIds);
    json(server, "secretsmanager", "PutSecretValue", secrets::putSecretValue);
    json(server, "secretsmanager", "BatchGetSecretValue", secrets::batchGetSecretValue);
    json(server, "AmazonSSM", "GetParameters", parameters::getParameters);
    server.route(
        Route.of("POST", "/", "aws.sts.AssumeRoleWithWebIdentity")
            .when(
                r ->
                    r.header("X-Amz-Target").isEmpty()
                        && r.formParam("Action")
                            .filter("AssumeRoleWithWebIdentity"::equals)
                            .isPresent())
            .resource(r -> r.formParam("RoleArn").orElse(null)),
        guarded(identity::assumeRoleWithWebIdentity, true));
    server.route(
        Route.of("GET", "/v1/credentials", "aws.podidentity.credentials").resource(r -> null),
        guarded(identity::podIdentityCredentials, false));
    server.route(
        Route.of("POST", "/", "aws.unknown").when(r -> r.header("X-Amz-Target").isPresent()),
        request ->
            AwsErrors.jsonError(
                400,
                "UnknownOperationException",
                "The operation is not supported by the emulator."));
    Map<String, URI> endpoints = new LinkedHashMap<>();
    endpoints.put("http", server.httpUrl());
    endpoints.put("https", server.httpsUrl());
    endpoints.put("pod-identity", URI.create(server.httpUrl() + "/v1/credentials"));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("AWS_ENDPOINT_URL", server.httpsUrl().toString());
    settings.put("AWS_CA_BUNDLE", options.caFile().toString());
    settings.put("AWS_REGION", DEFAULT_REGION);
    return new StartedEmulator(name(), endpoints, settings);
  }

  private void json(
      EmulatorServer target,
      String prefix,
      String action,
      BiFunction<SigV4.Caller, com.fasterxml.jackson.databind.JsonNode, Object> op) {
    String service = prefix.equals("AmazonSSM") ? "ssm" : "secretsmanager";
    String xAmzTarget = prefix + "." + action;
    target.route(
        Route.of("POST", "/", "aws." + service + "." + action)
            .when(r -> r.header("X-Amz-Target").filter(xAmzTarget::equals).isPresent())
            .resource(r -> resourceOf(service, r)),
        guarded(
            request ->
                AwsErrors.json(200, op.apply(sigV4.verify(request, service), request.json())),
            false));
  }

  private static String resourceOf(String service, EmulatorRequest request) {
    try {
      var body = AwsErrors.JSON.readTree(request.body());
      if (body == null) {
        return null;
      }
      if (service.equals("ssm")) {
        var names = body.path("Names");
        return names.isArray() && names.size() == 1
            ? ParameterStore.baseName(names.get(0).asText())
            : null;
      }
      return body.hasNonNull("SecretId")
          ? SecretsManager.nameOf(body.get("SecretId").asText())
          : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static EmulatorHandler guarded(EmulatorHandler handler, boolean sts) {
    return request -> {
      try {
        return handler.handle(request);
      } catch (AwsErrors.AwsException e) {
        return sts
            ? AwsErrors.stsError(e.status, e.code, e.getMessage())
            : AwsErrors.jsonError(e.status, e.code, e.getMessage());
      }
    };
  }

  /**
   * Seeds the {@code aws} backend's demo: secret {@code demo/db}, SecureString {@code
   * /demo/api-key}, role {@code demo-app} for {@code system:serviceaccount:demo:app}.
   */
  @Override
  public Optional<DemoScenario> demo(StartedEmulator started) {
    return Optional.of(AwsDemo.seed(this, started));
  }

  /** Seeds load-test secrets, roles and Pod Identity associations; see {@link AwsLoad}. */
  @Override
  public List<DemoScenario> load(StartedEmulator started, int objects, int identities) {
    return AwsLoad.seed(this, started, objects, identities);
  }

  @Override
  public FaultPlan faults() {
    return faults;
  }

  @Override
  public CallCounter calls() {
    return calls;
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  private static String req(String value) {
    Objects.requireNonNull(value, "argument");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return value;
  }
}
