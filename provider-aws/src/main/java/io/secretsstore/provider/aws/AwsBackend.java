// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.credentials.Expiring;
import io.secretsstore.provider.kube.KubeClients;
import io.secretsstore.provider.kube.ServiceAccountAnnotations;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.mount.ProviderException;
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
 * aws/secrets-store-csi-driver-provider-aws 3.x: the same SecretProviderClass parameters, files
 * and object versions from Secrets Manager and SSM Parameter Store. Pods authenticate with IRSA
 * or EKS Pod Identity; unlike upstream, credentials are cached per identity until shortly before
 * they expire, role ARNs are read once per service account and TTL instead of on every mount, a node's region label
 * is read once instead of on every mount, and the failover region is read only when the primary
 * failed with a retryable error.
 */
public final class AwsBackend implements SecretBackend {
  static final String NAME = "aws";
  private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(2);
  /** The region a dry run plans with when only the node's label would name it. */
  static final String DRY_RUN_REGION = "node-region";

  private final AwsOptions options;
  private AwsSettings settings;
  private KubernetesClient kube;
  private final boolean ownsKube;
  private BackendContext context;
  private AwsClients clients;
  private RoleArns roles;
  private NodeRegions nodeRegions;
  private HttpClient agentHttp;
  private boolean dryRun;

  /** How long a service account's annotations are used before they are read again. */
  private Duration annotationTtl = ServiceAccountAnnotations.TTL;

  /** Found by ServiceLoader; settings come from flags and the environment at start. */
  public AwsBackend() {
    this.options = new AwsOptions();
    this.ownsKube = true;
  }

  /** For tests: given settings and (possibly null) Kubernetes client, no flags. */
  AwsBackend(KubernetesClient kube, AwsSettings settings) {
    this(kube, settings, ServiceAccountAnnotations.TTL);
  }

  /** For tests: as above, with the time a service account's annotations are kept. */
  AwsBackend(KubernetesClient kube, AwsSettings settings, Duration annotationTtl) {
    this.options = null;
    this.kube = kube;
    this.settings = settings;
    this.ownsKube = false;
    this.annotationTtl = annotationTtl;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Object options() {
    return options;
  }

  @Override
  public void start(BackendContext backendContext) {
    this.context = backendContext;
    SdkLoggers.pin();
    if (settings == null) {
      try {
        settings = options.settings(System.getenv());
      } catch (IllegalArgumentException e) {
        throw ProviderException.of(ErrorKind.FAILED_PRECONDITION, e.getMessage());
      }
    }
    clients = new AwsClients(settings);
    roles = new RoleArns(settings.roleArnFor(), this::kube, annotationTtl);
    nodeRegions = new NodeRegions(settings.regionLookup(), this::kube);
    agentHttp = HttpClient.newBuilder().connectTimeout(settings.agent().timeout()).build();
  }

  /**
   * Flags only: no clients, informers or node lookups. Without a region (parameter or flag), the
   * node's label would decide: the dry run cannot read it and plans with a placeholder region.
   */
  @Override
  public void startDryRun(BackendContext backendContext) {
    dryRun = true;
    context = backendContext;
    if (settings == null) {
      settings = options.settings(System.getenv());
    }
  }

  private synchronized KubernetesClient kube() {
    if (kube == null && ownsKube) {
      kube = KubeClients.fromEnvironment();
    }
    return kube;
  }

  @Override
  public MountPlan<?> plan(MountRequestContext request) {
    if (context == null) {
      throw ProviderException.of(ErrorKind.INTERNAL, "the aws backend was not started");
    }
    PodIdentity pod = request.pod();
    AwsParameters parameters = AwsParameters.parse(request.attributes(),
        () -> !settings.region().isEmpty() ? settings.region() : dryRun ? DRY_RUN_REGION : nodeRegions.region(pod), request.defaultMode());
    String audience = parameters.usePodIdentity() ? Logins.POD_IDENTITY_AUDIENCE : Logins.IRSA_AUDIENCE;
    ServiceAccountToken token;
    try {
      token = request.tokens().require(audience, context.clock().instant());
    } catch (ProviderException e) {
      throw e.withContext("CSI token error (ensure tokenRequests is configured in the CSIDriver spec)");
    }
    IdentityKey identity;
    CredentialCache.Login<AwsSessionCredentials> login;
    if (parameters.usePodIdentity()) {
      PodIdentityAgent.AddressType addressType = parameters.preferredAddressType();
      identity = IdentityKey.of(NAME, "auth", "podIdentity", "namespace", pod.namespace(),
          "serviceAccount", pod.serviceAccountName(), "agent", settings.agent().endpoints(addressType).toString());
      login = () -> podIdentity(addressType, token);
    } else {
      // The dry run cannot read the service account's role annotation; the mount would.
      String roleArn = dryRun ? "" : roles.roleArn(pod.namespace(), pod.serviceAccountName());
      String stsRegion = parameters.region();
      identity = IdentityKey.of(NAME, "auth", "irsa", "namespace", pod.namespace(),
          "serviceAccount", pod.serviceAccountName(), "roleArn", roleArn);
      String failoverRegion = parameters.failoverRegion();
      login = () -> {
        try {
          return Logins.irsa(clients, stsRegion, roleArn, pod, token);
        } catch (ProviderException e) {
          // STS is regional: with a failover region, a retryable STS failure is retried there.
          if (failoverRegion.isEmpty() || !AwsErrors.retryable(e)) {
            throw e;
          }
          return Logins.irsa(clients, failoverRegion, roleArn, pod, token);
        }
      };
    }
    List<PlannedObject<AwsSpec>> objects = new ArrayList<>();
    for (AwsSpec spec : parameters.objects()) {
      objects.add(new PlannedObject<>(spec.fileName(), spec.fileName(), spec.mode(), spec));
    }
    if (dryRun) {
      return new MountPlan<>(identity, parameters.region(), objects, io.secretsstore.provider.spi.ObjectFetcher.dryRun());
    }
    return new MountPlan<>(identity, parameters.region(), objects,
        new AwsFetcher(identity, context.credentials(), login, clients, parameters.objects(), settings.batchSecrets()));
  }

  /**
   * Whether the provider can reach AWS: a TCP connection to the configured endpoint, or else to
   * the default region's STS endpoint (every IRSA mount starts there). Without either there is
   * nothing to probe: SecretProviderClasses name their regions.
   */
  @Override
  public Optional<String> readinessProblem() {
    if (settings == null || clients == null) {
      return Optional.of("the AWS backend has not started");
    }
    URI target = settings.endpoint();
    if (target == null && !settings.region().isEmpty()) {
      target = URI.create("https://sts." + settings.region() + ".amazonaws.com");
    }
    if (target == null || target.getHost() == null) {
      return Optional.empty();
    }
    int port = target.getPort() > 0 ? target.getPort() : 443;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(target.getHost(), port), (int) READINESS_TIMEOUT.toMillis());
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot reach AWS at " + target.getHost() + ":" + port);
    }
  }

  private Expiring<AwsSessionCredentials> podIdentity(PodIdentityAgent.AddressType addressType, ServiceAccountToken token) {
    try {
      return Logins.podIdentity(agentHttp, settings.agent(), addressType, token);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.of(ErrorKind.CANCELLED, "interrupted while asking the EKS Pod Identity agent");
    }
  }

  @Override
  public void close() {
    if (roles != null) {
      roles.close();
    }
    if (nodeRegions != null) {
      nodeRegions.close();
    }
    if (clients != null) {
      clients.close();
    }
    if (ownsKube && kube != null) {
      kube.close();
    }
  }
}
