// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.MountRequestContext;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The AWS backend ({@code --backend aws}), a drop-in replacement for
 * aws/secrets-store-csi-driver-provider-aws 3.x: the same SecretProviderClass parameters, files and
 * object versions from Secrets Manager and SSM Parameter Store. Pods authenticate with IRSA or EKS
 * Pod Identity; unlike upstream, credentials are cached per identity until shortly before they
 * expire, role ARNs are read once per service account and TTL instead of on every mount, a node's
 * region label is read once instead of on every mount, and the failover region is read only when
 * the primary failed with a retryable error.
 */
public final class AwsBackend implements SecretBackend {
  static final String NAME = "aws";
  private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(2);

  /** The region a dry run plans with when only the node's label would name it. */
  static final String DRY_RUN_REGION = "node-region";

  private final AwsSettings settings;
  private final BackendContext context;

  /** What a serving backend opened; empty for a dry run, which opens nothing. */
  private final Optional<Live> live;

  /** The clients and lookups of a serving backend. */
  private record Live(
      AwsClients clients, RoleArns roles, NodeRegions nodeRegions, HttpClient agentHttp) {}

  private AwsBackend(AwsSettings settings, BackendContext context, Optional<Live> live) {
    this.settings = settings;
    this.context = context;
    this.live = live;
  }

  /**
   * A serving backend; the Kubernetes client is asked for only when a mount needs a role annotation
   * or a node's region.
   *
   * @param annotationTtl how long a service account's annotations are used before they are read
   *     again
   */
  static AwsBackend start(AwsSettings settings, Duration annotationTtl, BackendContext context) {
    SdkLoggers.pin();
    return new AwsBackend(
        settings,
        context,
        Optional.of(
            new Live(
                new AwsClients(settings),
                new RoleArns(settings.roleArnFor(), context.kube(), annotationTtl),
                new NodeRegions(settings.regionLookup(), context.kube()),
                HttpClient.newBuilder().connectTimeout(settings.agent().timeout()).build())));
  }

  /** A backend that plans as a serving one would and opens nothing. */
  static AwsBackend dryRun(AwsSettings settings, BackendContext context) {
    return new AwsBackend(settings, context, Optional.empty());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MountPlan<?> plan(MountRequestContext request) {
    PodIdentity pod = request.pod();
    AwsParameters parameters =
        AwsParameters.parse(
            request.attributes(),
            () ->
                !settings.region().isEmpty()
                    ? settings.region()
                    : live.map(l -> l.nodeRegions().region(pod)).orElse(DRY_RUN_REGION),
            request.defaultMode());
    String audience =
        parameters.usePodIdentity() ? Logins.POD_IDENTITY_AUDIENCE : Logins.IRSA_AUDIENCE;
    ServiceAccountToken token;
    try {
      token = request.tokens().require(audience, context.clock().instant());
    } catch (ProviderException e) {
      throw e.withContext(
          "CSI token error (ensure tokenRequests is configured in the CSIDriver spec)");
    }
    IdentityKey identity;
    CredentialCache.Login<AwsSessionCredentials> login;
    if (parameters.usePodIdentity()) {
      PodIdentityAgent.AddressType addressType = parameters.preferredAddressType();
      identity =
          IdentityKey.of(
              NAME,
              "auth",
              "podIdentity",
              "namespace",
              pod.namespace(),
              "serviceAccount",
              pod.serviceAccountName(),
              "agent",
              settings.agent().endpoints(addressType).toString());
      login = () -> podIdentity(addressType, token);
    } else {
      // The dry run cannot read the service account's role annotation; the mount would.
      String roleArn =
          live.map(l -> l.roles().roleArn(pod.namespace(), pod.serviceAccountName())).orElse("");
      String stsRegion = parameters.region();
      identity =
          IdentityKey.of(
              NAME,
              "auth",
              "irsa",
              "namespace",
              pod.namespace(),
              "serviceAccount",
              pod.serviceAccountName(),
              "roleArn",
              roleArn);
      String failoverRegion = parameters.failoverRegion();
      login =
          () -> {
            try {
              return Logins.irsa(live.orElseThrow().clients(), stsRegion, roleArn, pod, token);
            } catch (ProviderException e) {
              // STS is regional: with a failover region, a retryable STS failure is retried there.
              if (failoverRegion.isEmpty() || !AwsErrors.retryable(e)) {
                throw e;
              }
              return Logins.irsa(live.orElseThrow().clients(), failoverRegion, roleArn, pod, token);
            }
          };
    }
    List<PlannedObject<AwsSpec>> objects = new ArrayList<>();
    for (AwsSpec spec : parameters.objects()) {
      objects.add(new PlannedObject<>(spec.fileName(), spec.fileName(), spec.mode(), spec));
    }
    if (live.isEmpty()) {
      return new MountPlan<>(
          identity,
          parameters.region(),
          objects,
          io.secretsstore.provider.spi.ObjectFetcher.dryRun());
    }
    return new MountPlan<>(
        identity,
        parameters.region(),
        objects,
        new AwsFetcher(
            identity,
            context.credentials(),
            login,
            live.get().clients(),
            parameters.objects(),
            settings.batchSecrets()));
  }

  /**
   * Whether the provider can reach AWS: a TCP connection to the configured endpoint, or else to the
   * default region's STS endpoint (every IRSA mount starts there). Without either there is nothing
   * to probe: SecretProviderClasses name their regions.
   */
  @Override
  public Optional<String> readinessProblem() {
    URI target = settings.endpoint();
    if (target == null && !settings.region().isEmpty()) {
      target = URI.create("https://sts." + settings.region() + ".amazonaws.com");
    }
    if (target == null || target.getHost() == null) {
      return Optional.empty();
    }
    int port = target.getPort() > 0 ? target.getPort() : 443;
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(target.getHost(), port), (int) READINESS_TIMEOUT.toMillis());
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot reach AWS at " + target.getHost() + ":" + port);
    }
  }

  private Expiring<AwsSessionCredentials> podIdentity(
      PodIdentityAgent.AddressType addressType, ServiceAccountToken token) {
    try {
      return Logins.podIdentity(
          live.orElseThrow().agentHttp(), settings.agent(), addressType, token);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(
          ErrorKind.CANCELLED, "interrupted while asking the EKS Pod Identity agent");
    }
  }

  @Override
  public void close() {
    live.ifPresent(
        l -> {
          l.roles().close();
          l.nodeRegions().close();
          l.clients().close();
        });
  }
}
