// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.provider.ProviderVersion;
import io.secretsstore.provider.audit.FingerprintIndex;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.audit.SwitchingAuditSink;
import io.secretsstore.provider.config.SettingValues;
import io.secretsstore.provider.config.Settings;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.fetch.MountEngine;
import io.secretsstore.provider.kube.TokenRequests;
import io.secretsstore.provider.logging.LogSetup;
import io.secretsstore.provider.logging.SafeThrowables;
import io.secretsstore.provider.metrics.ProviderMetrics;
import io.secretsstore.provider.metrics.SyncMetrics;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.Backends;
import io.secretsstore.provider.spi.SecretBackend;
import io.secretsstore.provider.sync.LeaderElection;
import io.secretsstore.provider.sync.SecretApplier;
import io.secretsstore.provider.sync.SecretSyncReconciler;
import io.secretsstore.provider.sync.SecretTypePolicy;
import io.secretsstore.provider.sync.SyncAttributes;
import io.secretsstore.provider.sync.SyncController;
import io.secretsstore.provider.sync.SyncHash;
import io.secretsstore.provider.sync.SyncHealth;
import io.secretsstore.provider.sync.SyncSettings;
import io.secretsstore.provider.sync.TokenCache;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the SecretSync controller for one backend, in process: no socket, no pod mount. With {@code
 * --leader-elect} only the replica holding the Lease syncs; losing the Lease ends the process (exit
 * 1) so Kubernetes restarts it as a standby, as client-go controllers do.
 */
@Command(
    name = "sync",
    description =
        "Keep Kubernetes Secrets equal to the backend for every SecretSync (secret-sync.x-k8s.io).")
final class SyncCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SyncCommand.class);

  /**
   * controller-runtime's Lease of the upstream controller (its LeaderElectionID), shared so only
   * one of the two leads.
   */
  static final String UPSTREAM_LEASE = "29f1d54e.secret-sync.x-k8s.io";

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--backend",
      required = true,
      description = "The backend: ${COMPLETION-CANDIDATES}.",
      completionCandidates = ServeCommand.BackendNames.class)
  String backendName;

  @Option(
      names = "--provider-name",
      description =
          "Sync only SecretSyncs whose SecretProviderClass has this spec.provider (default: the backend name).")
  String providerName;

  @Option(
      names = "--token-request-audience",
      split = ",",
      paramLabel = "AUDIENCE",
      description =
          "Audiences of the tokens minted for spec.serviceAccountName (default: the backend's usual ones; required for a backend without a fixed one).")
  List<String> audiences;

  @Option(
      names = "--token-ttl",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description =
          "Lifetime requested for those tokens (upstream's 10m, which the chart's admission policy requires);"
              + " reused until a fifth is left (default: ${DEFAULT-VALUE}).")
  Duration tokenTtl;

  @Option(
      names = "--leader-elect",
      description = "Sync only while holding the Lease (run several replicas).")
  boolean leaderElect;

  @Option(
      names = "--leader-election-namespace",
      defaultValue = "${env:POD_NAMESPACE:-default}",
      description = "Namespace of the Lease (default: $POD_NAMESPACE).")
  String leaseNamespace;

  @Option(
      names = "--leader-election-id",
      defaultValue = UPSTREAM_LEASE,
      description =
          "Name of the Lease; the default is the upstream controller's, so in the same namespace only one of the two leads (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(
      names = "--pod-name",
      defaultValue = "${env:POD_NAME:-secrets-store-sync-controller}",
      description =
          "This pod's name: the Lease identity and the mount's pod name (default: $POD_NAME).")
  String podName;

  @Option(
      names = "--pod-uid",
      defaultValue = "${env:POD_UID:-}",
      description = "This pod's UID for the mount (default: $POD_UID, else random).")
  String podUid;

  @Option(
      names = "--secret-sync-controller-name",
      defaultValue = "",
      description =
          "Sync only SecretSyncs whose spec.secretSyncControllerName is this (default: all).")
  String controllerName;

  @Option(
      names = "--secret-owner-check",
      defaultValue = "read",
      description =
          "read: read a Secret by name before writing it and leave one this SecretSync does not own (RBAC secrets get);"
              + " admission: read no Secret, the chart's admission policies refuse such a write (default: ${DEFAULT-VALUE}).")
  OwnerCheckOption ownerCheck;

  /** The values of --secret-owner-check. */
  enum OwnerCheckOption {
    read(SecretApplier.OwnerCheck.READ),
    admission(SecretApplier.OwnerCheck.ADMISSION);

    final SecretApplier.OwnerCheck check;

    OwnerCheckOption(SecretApplier.OwnerCheck check) {
      this.check = check;
    }
  }

  @Option(
      names = "--health-addr",
      defaultValue = ":8080",
      description = "Address of /livez and /readyz; empty to disable (default: ${DEFAULT-VALUE}).")
  String healthAddr;

  @Option(
      names = "--metrics-addr",
      defaultValue = ":8095",
      description = "Address of /metrics; empty to disable (default: ${DEFAULT-VALUE}).")
  String metricsAddr;

  @Option(
      names = "--log-format",
      defaultValue = "json",
      description = "json or text (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Mixin AuditOptions audit;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML file with logLevel, cache timings, auditLog and allow-lists; reloaded on change.")
  Path configFile;

  private final List<BackendFactory> backends;
  private final SettingOptions settingFlags = new SettingOptions();

  private SyncCommand(List<BackendFactory> backends) {
    this.backends = backends;
  }

  /** The sync command with the settings' flags and every discovered backend's own options. */
  static CommandLine commandLine() {
    List<BackendFactory> backends = Backends.discover();
    SyncCommand sync = new SyncCommand(backends);
    CommandLine command = new CommandLine(sync);
    sync.settingFlags.addTo(command);
    return ServeCommand.withBackendOptions(command, backends);
  }

  @Override
  public Integer call() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean shuttingDown = new AtomicBoolean();
    Assembly parts = new Assembly();
    // Added first, so closed last: the command returns once everything else is closed.
    parts.add("stopped", stopped, stopped::countDown);
    parts.build(built -> start(built, stopped));
    parts.closeOnShutdown(
        () -> {
          shuttingDown.set(true);
          LOG.info("shutting down: finishing the syncs in flight");
        });
    stopped.await();
    // Leadership lost while running: exit 1 so a restart competes again from a clean state.
    return shuttingDown.get() ? 0 : 1;
  }

  /**
   * Builds the controller's parts in the order they depend on each other, up to syncing or standing
   * by.
   */
  private Void start(Assembly parts, CountDownLatch stopped) throws Exception {
    SettingValues flags = settingFlags.values();
    LogSetup.configure(logFormat, flags.get(Settings.LOG_LEVEL));
    BackendFactory factory = Backends.named(backends, backendName);
    List<String> tokenAudiences = audiences != null ? audiences : factory.defaultAudiences();
    if (tokenAudiences.isEmpty()) {
      throw new IllegalArgumentException(
          "--token-request-audience is required for backend " + factory.name());
    }
    InetSocketAddress health = HostPort.parse(healthAddr, "--health-addr");
    InetSocketAddress metricsAddress = HostPort.parse(metricsAddr, "--metrics-addr");
    EngineSettings engineSettings = flags.engine();
    FingerprintIndex fingerprints = new FingerprintIndex(100_000);
    ProviderMetrics metrics =
        parts.add("metrics", new ProviderMetrics(factory.name(), fingerprints::reusedCount));
    BackendStart.Started started = BackendStart.startIn(parts, factory, metrics);
    BackendContext context = started.context();
    SecretBackend backend = started.backend();
    // Declared before the configuration file is read, so the file may set it.
    SecretTypePolicy secretTypes = SecretTypePolicy.declare(context.allowLists());
    SyncSettings settings =
        new SyncSettings(
            new SyncAttributes.ControllerPod(
                podName, podUid.isEmpty() ? UUID.randomUUID().toString() : podUid),
            tokenAudiences,
            tokenTtl,
            engineSettings.cache().pollInterval(),
            flags.get(Settings.WORKERS),
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            controllerName,
            providerName == null ? backend.name() : providerName,
            secretTypes,
            ownerCheck.check);
    SyncMetrics syncMetrics = new SyncMetrics(metrics.registry(), settings.providerName());
    String auditLog = flags.get(Settings.AUDIT_LOG);
    SwitchingAuditSink auditSink = audit.sink(auditLog);
    MountAuditor auditor =
        parts.add(
            "auditor",
            audit.auditor(
                auditSink,
                auditLog,
                configFile != null,
                fingerprints,
                Clock.systemUTC(),
                context.kube()));
    SyncHash hash = new SyncHash(audit.key(context.kube()));
    if (metricsAddress != null) {
      metrics.serve(metricsAddress);
    }
    ClusterLookup.requireReachable(context.kube());
    KubernetesClient client = context.kube().get();
    MountEngine mountEngine =
        parts.add("mount engine", new MountEngine(backend, engineSettings, metrics));
    TokenCache tokens =
        new TokenCache(
            new TokenRequests(client)::mintUnbound, settings.tokenTtl(), Clock.systemUTC());
    SyncController controller =
        parts.add("sync controller", new SyncController(client, settings, syncMetrics));
    ConfigWatching.startIn(parts, configFile, flags, auditSink, context.allowLists(), metrics)
        .ifPresent(watcher -> watcher.attach(mountEngine));
    Runnable lead =
        () -> {
          syncMetrics.leading(true);
          try {
            controller.start(
                lookup ->
                    new SecretSyncReconciler(
                        client,
                        mountEngine,
                        tokens,
                        settings,
                        hash,
                        metrics,
                        auditor,
                        Clock.systemUTC(),
                        lookup));
          } catch (RuntimeException e) {
            // E.g. the SecretSync CRD is not installed: exit rather than hold the Lease doing
            // nothing.
            LOG.atError()
                .addKeyValue("exception", SafeThrowables.describe(e))
                .log("the sync controller could not start");
            stopped.countDown();
            throw e;
          }
        };
    if (leaderElect) {
      parts.add(
          "leader election",
          LeaderElection.start(
              client,
              leaseNamespace,
              leaseName,
              podName,
              LeaderElection.Timing.DEFAULT,
              lead,
              () -> {
                syncMetrics.leading(false);
                stopped.countDown();
              }));
    } else {
      lead.run();
    }
    if (health != null) {
      parts.add(
          "health server",
          SyncHealth.start(
              health,
              () -> stopped.getCount() == 0 ? Optional.of("stopped") : Optional.empty(),
              backend::readinessProblem));
    }
    LOG.atInfo()
        .addKeyValue("backend", backend.name())
        .addKeyValue("version", ProviderVersion.get())
        .addKeyValue("leaderElect", leaderElect)
        .log("sync controller running");
    return null;
  }
}
