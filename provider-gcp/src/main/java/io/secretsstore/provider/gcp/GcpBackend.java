// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import com.google.auth.oauth2.GoogleCredentials;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.kube.TokenRequests;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.SecretBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The GCP backend ({@code --backend gcp}), a drop-in replacement for
 * GoogleCloudPlatform/secrets-store-csi-driver-provider-gcp 1.x: the same {@code secrets} and
 * {@code auth} parameters, files and object versions from Google Secret Manager (global and
 * regional). Pods authenticate with workload identity. Unlike upstream, tokens are cached per
 * identity until shortly before they expire, Google service accounts are read once per Kubernetes
 * service account and TTL instead of on every mount, fetches are bounded by the engine, and pinned
 * versions are served from the cache on rotation.
 */
public final class GcpBackend implements SecretBackend {
  static final String NAME = "gcp";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Lets {@code auth: provider-adc} use the provider's own credentials; the chart has no value of
   * its own for it.
   */
  static final OperatorSetting PROVIDER_ADC =
      new OperatorSetting("--gcp-allow-provider-adc", "", "secrets-store-provider-gcp: extraArgs");

  /** The parent of gax's request and response loggers. */
  static final String GAX_LOGGERS = "com.google.api.gax";

  private final GcpSettings settings;
  private final BackendContext context;

  /** What a serving backend opened; empty for a dry run, which opens nothing. */
  private final Optional<Live> live;

  /** The clients and lookups of a serving backend. */
  private record Live(
      TrustedCas cas, GcpClients clients, GoogleTokens tokens, GoogleServiceAccounts annotations) {}

  private GcpBackend(GcpSettings settings, BackendContext context, Optional<Live> live) {
    this.settings = settings;
    this.context = context;
    this.live = live;
  }

  /**
   * A serving backend; the Kubernetes client is asked for only when a mount reads a service
   * account's annotations or mints a token.
   *
   * @param annotationTtl how long a service account's annotations are used before they are read
   *     again
   */
  static GcpBackend start(GcpSettings settings, Duration annotationTtl, BackendContext context) {
    pinGaxLoggers();
    TrustedCas cas = TrustedCas.load(settings.caBundle());
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(cas.sslContext())
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    return new GcpBackend(
        settings,
        context,
        Optional.of(
            new Live(
                cas,
                new GcpClients(settings, cas),
                new GoogleTokens(http, settings, context.clock(), context.calls()),
                new GoogleServiceAccounts(
                    settings.serviceAccountFor(), context.kube(), annotationTtl))));
  }

  /** A backend that plans as a serving one would and opens nothing. */
  static GcpBackend dryRun(GcpSettings settings, BackendContext context) {
    return new GcpBackend(settings, context, Optional.empty());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MountPlan<?> plan(MountRequestContext request) {
    GcpParameters parameters =
        GcpParameters.parse(
            request.attributes(),
            request.nodePublishSecrets(),
            settings.allowNodePublishSecret(),
            request.defaultMode());
    Login login =
        switch (parameters.auth()) {
          case POD_ADC -> podAdc(request);
          case PROVIDER_ADC -> providerAdc();
          case NODE_PUBLISH_SECRET -> nodePublishSecret(request.pod(), parameters.keyJson());
        };
    List<PlannedObject<GcpSpec>> objects = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (GcpParameters.Entry entry : parameters.entries()) {
      // Upstream's id is the resourceName; one secret mounted at two paths (its own README does
      // this) needs distinct ids here, so the second one carries its path.
      String id = entry.spec().resource().name();
      if (!ids.add(id)) {
        id = id + "@" + entry.path();
        ids.add(id);
      }
      objects.add(new PlannedObject<>(id, entry.path(), entry.mode(), entry.spec()));
    }
    if (live.isEmpty()) {
      return new MountPlan<>(
          login.identity(),
          settings.secretManager(),
          objects,
          io.secretsstore.provider.spi.ObjectFetcher.dryRun());
    }
    return new MountPlan<>(
        login.identity(),
        settings.secretManager(),
        objects,
        new GcpFetcher(
            login.identity(),
            context.credentials(),
            login.login(),
            live.get().clients(),
            context.clock(),
            context.calls()));
  }

  /** An identity and how to log in as it. */
  private record Login(IdentityKey identity, CredentialCache.Login<GoogleCredentials> login) {}

  private Login podAdc(MountRequestContext request) {
    WorkloadIdentityPool pool = settings.identity();
    if (pool == null) {
      throw ProviderException.of(
          ErrorKind.FAILED_PRECONDITION,
          "unable to obtain auth for mount: the workload identity pool is unknown; "
              + "start the provider with --gcp-project, --gcp-cluster-location and --gcp-cluster-name (env PROJECT, CLUSTER_LOCATION, "
              + "CLUSTER_NAME; chart values gcpProject, gkeClusterLocation, gkeClusterName) or --gcp-token-audience");
    }
    PodIdentity pod = request.pod();
    TokenSource token = podToken(request, pool);
    GoogleServiceAccount google =
        live.map(l -> l.annotations().lookup(pod.namespace(), pod.serviceAccountName()))
            .orElse(null);
    IdentityKey identity =
        IdentityKey.of(
            NAME,
            "auth",
            AuthMode.POD_ADC.label(),
            "namespace",
            pod.namespace(),
            "serviceAccount",
            pod.serviceAccountName(),
            "audience",
            pool.audience(),
            "googleServiceAccount",
            google == null ? "" : google.email(),
            "delegates",
            google == null ? "" : String.join(",", google.delegates()),
            "tokenExchange",
            settings.tokenExchange().toString(),
            "secretManager",
            settings.secretManager());
    return new Login(
        identity,
        () -> {
          try {
            return live.orElseThrow().tokens().login(token.get(), pool.audience(), google);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.of(
                ErrorKind.CANCELLED, "interrupted while obtaining the pod's Google token");
          }
        });
  }

  @FunctionalInterface
  private interface TokenSource {
    ServiceAccountToken get();
  }

  /**
   * The pod's token whose audience is the pool or the full audience (upstream accepts either);
   * without one, a self-minted TokenRequest only when the operator allows it.
   */
  private TokenSource podToken(MountRequestContext request, WorkloadIdentityPool pool) {
    String audience =
        !pool.pool().isEmpty() && request.tokens().has(pool.pool()) ? pool.pool() : pool.audience();
    if (request.tokens().has(audience)) {
      // An empty or expired token is the pod's problem, refused before any call (UNAUTHENTICATED,
      // as the SPI says), not a refusal by Google.
      try {
        ServiceAccountToken token = request.tokens().require(audience, context.clock().instant());
        return () -> token;
      } catch (ProviderException e) {
        throw ProviderException.unauthenticated(
            "unable to obtain auth for mount: " + e.getMessage());
      }
    }
    if (settings.allowTokenRequest() && (live.isEmpty() || context.kube().available())) {
      String minted = pool.pool().isEmpty() ? pool.audience() : pool.pool();
      return () -> new TokenRequests(context.kube().get()).mint(request.pod(), minted);
    }
    throw ProviderException.unauthenticated(
        "unable to obtain auth for mount: no service account token for audience \""
            + (pool.pool().isEmpty() ? pool.audience() : pool.pool())
            + "\" in csi.storage.k8s.io/serviceAccount.tokens: "
            + "add it to the CSIDriver's tokenRequests, or the operator lets the provider mint it with --gcp-allow-token-request "
            + "(chart value secrets-store-provider-gcp: tokenRequest.enabled)");
  }

  private Login providerAdc() {
    if (!settings.allowProviderAdc()) {
      // The SecretProviderClass asks for what only the operator may enable: a configuration error.
      throw ProviderException.refusedBySetting(
          "unable to obtain auth for mount: auth provider-adc is disabled", PROVIDER_ADC);
    }
    return new Login(
        IdentityKey.of(NAME, "auth", AuthMode.PROVIDER_ADC.label()),
        ProviderCredentials::applicationDefault);
  }

  private Login nodePublishSecret(PodIdentity pod, String keyJson) {
    // The key itself decides what may be read; its digest keys the cache without holding it.
    IdentityKey identity =
        IdentityKey.of(
            NAME,
            "auth",
            AuthMode.NODE_PUBLISH_SECRET.label(),
            "namespace",
            pod.namespace(),
            "keySha256",
            sha256(keyJson));
    return new Login(
        identity,
        () ->
            ProviderCredentials.serviceAccountKey(
                keyJson, settings.oauthTokenEndpoint().toString(), live.orElseThrow().cas()));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** How many Secret Manager clients exist (one per location used). */
  int clientCount() {
    return live.orElseThrow().clients().size();
  }

  /** Whether the provider can open a TCP connection to Secret Manager's global endpoint. */
  @Override
  public Optional<String> readinessProblem() {
    String address = settings.secretManager();
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot reach Secret Manager at " + address);
    }
  }

  /**
   * gax writes every request and response, secret payloads included, to its DEBUG loggers when the
   * pod's environment sets GOOGLE_SDK_JAVA_LOGGING: kept at INFO whatever the root level.
   */
  static void pinGaxLoggers() {
    if (org.slf4j.LoggerFactory.getILoggerFactory()
        instanceof ch.qos.logback.classic.LoggerContext logging) {
      logging.getLogger(GAX_LOGGERS).setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }

  @Override
  public void close() {
    live.ifPresent(
        l -> {
          l.annotations().close();
          l.clients().close();
        });
  }
}
