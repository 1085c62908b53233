// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import com.google.cloud.secretmanager.v1.SecretVersion;
import io.grpc.Server;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.secretsstore.provider.emulators.CallCounter;
import io.secretsstore.provider.emulators.CloudEmulator;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.EmulatorServer;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.emulators.Route;
import io.secretsstore.provider.emulators.SeedNode;
import io.secretsstore.provider.emulators.SeededIdentity;
import io.secretsstore.provider.emulators.ServiceAccountJwts;
import io.secretsstore.provider.emulators.StartedEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Google Cloud as the provider sees it: Secret Manager v1 over gRPC with TLS (global and regional
 * secrets, numbered versions that can be disabled or destroyed), and on one HTTP(S) server the STS
 * token exchange ({@code POST /v1/identitybindingtoken}, {@code POST /v1/token}), the OAuth token
 * endpoint for service-account keys ({@code POST /token}) and IAM Credentials ({@code POST
 * /v1/projects/-/serviceAccounts/EMAIL:generateAccessToken}).
 *
 * <p>Every Secret Manager call must carry a bearer token this emulator issued; the token's member
 * reads only the secrets {@link #grant}ed to it. Kubernetes service-account tokens for the exchange
 * come from {@link #mintServiceAccountToken}; the exchange accepts {@link #AUDIENCE} (GKE's {@code
 * identitynamespace:POOL:PROVIDER} for project {@link #PROJECT}) and audiences added with {@link
 * #acceptAudience}.
 *
 * <p>Operations, for {@link #calls()} and {@link #faults()}: {@code
 * gcp.secretmanager.AccessSecretVersion}, {@code gcp.secretmanager.GetSecretVersion}, {@code
 * gcp.secretmanager.ListSecretVersions} (resource: the name in the request), {@code gcp.sts.token}
 * {@code gcp.iamcredentials.generateAccessToken} and {@code gcp.oauth.token} (service-account
 * keys). An injected {@code Fault.error(429)} is RESOURCE_EXHAUSTED on gRPC, 503 UNAVAILABLE.
 *
 * <p>{@code start} returns endpoints {@code secretmanager} ({@code https://127.0.0.1:PORT}, gRPC),
 * {@code http} and {@code https}, and settings {@code GCP_SECRETMANAGER_ENDPOINT} (host:port),
 * {@code GCP_TOKEN_EXCHANGE_ENDPOINT}, {@code GCP_IAM_CREDENTIALS_ENDPOINT}, {@code
 * GCP_OAUTH_TOKEN_ENDPOINT}, {@code GCP_CA_BUNDLE} and {@code GCP_PROJECT}. Property {@code
 * gcp.grpc-port} fixes the gRPC port.
 */
public final class GcpEmulator implements CloudEmulator {
  /** Seeds secrets and identities from this cloud's section of a seed file; see {@link GcpSeed}. */
  @Override
  public List<SeededIdentity> seed(StartedEmulator started, SeedNode section) {
    return GcpSeed.apply(this, started, section);
  }

  /** The project whose workload identity pool the emulator trusts. */
  public static final String PROJECT = "emulator-project";

  /** Its project number, as it appears in principal:// members. */
  public static final String PROJECT_NUMBER = "123456789012";

  /** The GKE workload identity pool: pod tokens must carry it as their audience. */
  public static final String POOL = PROJECT + ".svc.id.goog";

  /** The cluster's location and name, as the provider's flags must give them. */
  public static final String CLUSTER_LOCATION = "us-central1";

  public static final String CLUSTER_NAME = "emulator";

  /** The identity provider of the emulated cluster. */
  public static final String PROVIDER =
      "https://container.googleapis.com/v1/projects/"
          + PROJECT
          + "/locations/"
          + CLUSTER_LOCATION
          + "/clusters/"
          + CLUSTER_NAME;

  /** The token-exchange audience GKE workload identity uses. */
  public static final String AUDIENCE = "identitynamespace:" + POOL + ":" + PROVIDER;

  private final FaultPlan faults = new FaultPlan();
  private final CallCounter calls = new CallCounter();
  private final SecretStore store = new SecretStore();
  private final AccessTokens tokens = new AccessTokens();
  private final ServiceAccountJwts jwts =
      new ServiceAccountJwts(
          "https://container.googleapis.com/v1/projects/"
              + PROJECT
              + "/locations/"
              + CLUSTER_LOCATION
              + "/clusters/"
              + CLUSTER_NAME);
  private final TokenExchange exchange = new TokenExchange(jwts, tokens, PROJECT_NUMBER);
  private final IamCredentials iam = new IamCredentials(tokens);
  private final ServiceAccountKeys keys = new ServiceAccountKeys(tokens);
  private EmulatorServer http;
  private Server grpc;

  /** An emulator with nothing seeded; no I/O until {@link #start}. */
  public GcpEmulator() {
    exchange.acceptAudience(AUDIENCE, POOL);
  }

  @Override
  public String name() {
    return "gcp";
  }

  /**
   * Adds a version to a secret ({@code projects/P/secrets/S} or {@code
   * projects/P/locations/L/secrets/S}), creating it; returns the version number.
   */
  public long addVersion(String secret, String payload) {
    return store.add(
        Objects.requireNonNull(secret, "secret"), payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Disables a version: reading it then fails with FAILED_PRECONDITION. */
  public void disable(String secret, long version) {
    store.state(secret, version, SecretVersion.State.DISABLED);
  }

  /** Destroys a version: reading it then fails with FAILED_PRECONDITION. */
  public void destroy(String secret, long version) {
    store.state(secret, version, SecretVersion.State.DESTROYED);
  }

  /** Lets a member read the secrets whose names start with any of the prefixes. */
  public void grant(String member, String... secretPrefixes) {
    store.grant(Objects.requireNonNull(member, "member"), secretPrefixes.clone());
  }

  /** The member a pod's federated token stands for (direct access without impersonation). */
  public String workloadMember(String namespace, String serviceAccount) {
    return exchange.member(POOL, namespace, serviceAccount);
  }

  /** The member of a Google service account, {@code serviceAccount:EMAIL}. */
  public static String serviceAccountMember(String email) {
    return IamCredentials.member(email);
  }

  /** Creates a Google service account that nobody may impersonate yet. */
  public void addServiceAccount(String email) {
    iam.addServiceAccount(email);
  }

  /**
   * Lets a member (a workload or another service account) get access tokens of a service account.
   */
  public void allowImpersonation(String email, String member) {
    iam.allowImpersonation(email, member);
  }

  /**
   * A new key ({@code key.json} text) of a Google service account, whose {@code token_uri} is this
   * emulator's OAuth endpoint ({@code https://127.0.0.1:PORT/token}); the emulator must be started.
   */
  public synchronized String serviceAccountKey(String email) {
    if (http == null) {
      throw new IllegalStateException(
          "start the gcp emulator first: the key names its token endpoint");
    }
    iam.addServiceAccount(email);
    return keys.create(email, PROJECT, http.httpsUrl() + "/token");
  }

  /**
   * Accepts another token-exchange audience (e.g. a workload identity federation provider) for a
   * pool.
   */
  public void acceptAudience(String audience, String pool) {
    exchange.acceptAudience(audience, pool);
  }

  /**
   * A projected service-account token of the emulated cluster; zero or negative ttl gives an
   * expired one.
   */
  public String mintServiceAccountToken(
      String namespace, String serviceAccount, String audience, Duration ttl) {
    return jwts.mint(namespace, serviceAccount, audience, ttl);
  }

  /** How long the access tokens issued from now on live (an hour unless changed). */
  public void tokenLifetime(Duration lifetime) {
    tokens.lifetime(lifetime);
  }

  /** Revokes every access token issued so far: later calls with them get UNAUTHENTICATED. */
  public void expireAccessTokens() {
    tokens.expireAll();
  }

  @Override
  public synchronized StartedEmulator start(EmulatorOptions options) throws IOException {
    if (http != null) {
      throw new IllegalStateException("the gcp emulator is already started");
    }
    http =
        EmulatorServer.start(
            options.server(name()).withFaults(faults).withCalls(calls).withErrors(new GcpErrors()));
    http.route(
        Route.of("POST", "/v1/identitybindingtoken", "gcp.sts.token").resource(r -> null),
        exchange::exchange);
    http.route(
        Route.of("POST", "/v1/token", "gcp.sts.token").resource(r -> null), exchange::exchange);
    http.route(Route.of("POST", "/token", "gcp.oauth.token").resource(r -> null), keys::token);
    http.route(
        Route.of(
            "POST",
            "/v1/projects/{project}/serviceAccounts/{name}",
            "gcp.iamcredentials.generateAccessToken"),
        iam::generateAccessToken);
    int port = options.property(name(), "grpc-port").map(p -> Integer.parseInt(p.trim())).orElse(0);
    TlsServerCredentials credentials =
        (TlsServerCredentials)
            TlsServerCredentials.newBuilder()
                .keyManager(options.tls().keyManagerFactory().getKeyManagers())
                .build();
    grpc =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
                credentials)
            .addService(new SecretManagerService(store, tokens, faults, calls).definition())
            .build()
            .start();
    String grpcAddress = "127.0.0.1:" + grpc.getPort();
    Map<String, URI> endpoints = new LinkedHashMap<>();
    endpoints.put("secretmanager", URI.create("https://" + grpcAddress));
    endpoints.put("http", http.httpUrl());
    endpoints.put("https", http.httpsUrl());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("GCP_SECRETMANAGER_ENDPOINT", grpcAddress);
    settings.put("GCP_TOKEN_EXCHANGE_ENDPOINT", http.httpsUrl() + "/v1/identitybindingtoken");
    settings.put("GCP_IAM_CREDENTIALS_ENDPOINT", http.httpsUrl().toString());
    settings.put("GCP_OAUTH_TOKEN_ENDPOINT", http.httpsUrl() + "/token");
    settings.put("GCP_CA_BUNDLE", options.caFile().toString());
    settings.put("GCP_PROJECT", PROJECT);
    return new StartedEmulator(name(), endpoints, settings);
  }

  /**
   * Seeds the {@code gcp} backend's demo: a JSON secret and a regional secret, read by the service
   * account {@code demo/app} through impersonation of {@code demo-app@...}.
   */
  @Override
  public Optional<DemoScenario> demo(StartedEmulator started) {
    return Optional.of(GcpDemo.seed(this, started));
  }

  /** Seeds load-test secrets and identities; see {@link GcpLoad}. */
  @Override
  public List<DemoScenario> load(StartedEmulator started, int objects, int identities) {
    return GcpLoad.seed(this, started, objects, identities);
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
    if (grpc != null) {
      grpc.shutdownNow();
      try {
        grpc.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      grpc = null;
    }
    if (http != null) {
      http.close();
      http = null;
    }
  }
}
