// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.ProviderVersion;
import io.secretsstore.provider.audit.FingerprintIndex;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.audit.SwitchingAuditSink;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.grpc.ProviderRuntime;
import io.secretsstore.provider.grpc.ProviderServer;
import io.secretsstore.provider.grpc.SocketPath;
import io.secretsstore.provider.health.HealthServer;
import io.secretsstore.provider.health.ProbeIdentity;
import io.secretsstore.provider.health.RecentResult;
import io.secretsstore.provider.logging.LogSetup;
import io.secretsstore.provider.metrics.ProviderMetrics;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.Backends;
import io.secretsstore.provider.spi.SecretBackend;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Serves the driver's provider API for one backend on a Unix socket until SIGTERM. */
@Command(name = "serve", description = "Serve the CSI driver's provider API for one backend on a Unix socket.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--backend", required = true, description = "The backend: ${COMPLETION-CANDIDATES}.", completionCandidates = BackendNames.class)
  String backendName;

  @Option(names = "--provider-name", description = "Socket name, as in SecretProviderClass spec.provider (default: the backend name).")
  String providerName;

  @Option(names = "--socket-dir", defaultValue = "/etc/kubernetes/secrets-store-csi-providers", description = "Directory of the provider socket (default: ${DEFAULT-VALUE}).")
  Path socketDir;

  @Option(names = "--health-addr", defaultValue = ":8080", description = "Address of /livez and /readyz; empty to disable (default: ${DEFAULT-VALUE}).")
  String healthAddr;

  @Option(names = "--metrics-addr", defaultValue = ":8095", description = "Address of /metrics; empty to disable (default: ${DEFAULT-VALUE}).")
  String metricsAddr;

  @Option(names = "--log-format", defaultValue = "json", description = "json or text (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Option(names = "--log-level", defaultValue = "info", description = "trace, debug, info, warn or error (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Mixin EngineOptions engine;

  @Mixin AuditOptions audit;

  @Mixin ReadinessProbeOptions readinessProbe;

  @Option(names = "--readiness-includes-backend",
      description = "Make /readyz fail while the backend (or the readiness probe identity) cannot serve. Off by default: readiness means"
          + " the socket serves, so a cloud outage does not mark every node's provider NotReady; /readyz?verbose and"
          + " secrets_store_provider_backend_up report the backend either way.")
  boolean readinessIncludesBackend;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML file (e.g. a mounted ConfigMap) with logLevel, cache timings, auditLog and allow-lists; reloaded on change without a restart.")
  Path configFile;

  @Option(names = "--config-check-interval", defaultValue = "5s", converter = DurationConverter.class,
      description = "How often the configuration file is checked for changes (default: ${DEFAULT-VALUE}).")
  Duration configCheckInterval;

  @Option(names = "--grpc-threads", defaultValue = "16", description = "Threads serving gRPC calls (default: ${DEFAULT-VALUE}).")
  int grpcThreads;

  @Option(names = "--drain-timeout", defaultValue = "20s", converter = DurationConverter.class, description = "How long SIGTERM waits for in-flight calls (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(names = "--socket-check-interval", defaultValue = "2s", converter = DurationConverter.class,
      description = "How often to check that the socket is still there and publish a new one if it was deleted; 0s never checks (default: ${DEFAULT-VALUE}).")
  Duration socketCheck;

  private final List<BackendFactory> backends;

  private ServeCommand(List<BackendFactory> backends) {
    this.backends = backends;
  }

  /** The serve command with every discovered backend's own options mixed in. */
  static CommandLine commandLine() {
    List<BackendFactory> backends = Backends.discover();
    return withBackendOptions(new CommandLine(new ServeCommand(backends)), backends);
  }

  /** Adds every backend's own flags to a command that runs a backend ({@code serve}, {@code sync}). */
  static CommandLine withBackendOptions(CommandLine command, List<BackendFactory> backends) {
    for (BackendFactory backend : backends) {
      Object options = backend.options();
      if (options != null) {
        command.getCommandSpec().addMixin(backend.name(), CommandSpec.forAnnotatedObject(options));
      }
    }
    return command;
  }

  @Override
  public Integer call() throws Exception {
    LogSetup.configure(logFormat, FlagChecks.logLevel("--log-level", logLevel));
    FlagChecks.atLeast("--grpc-threads", grpcThreads, 1);
    FlagChecks.notNegative("--drain-timeout", drainTimeout);
    FlagChecks.notNegative("--socket-check-interval", socketCheck);
    FlagChecks.positive("--config-check-interval", configCheckInterval);
    BackendFactory factory = Backends.named(backends, backendName);
    String name = providerName == null ? factory.name() : providerName;
    Path socket = SocketPath.of(socketDir, name);
    InetSocketAddress health = HostPort.parse(healthAddr, "--health-addr");
    InetSocketAddress metricsAddress = HostPort.parse(metricsAddr, "--metrics-addr");
    EngineSettings settings = engine.settings();

    FingerprintIndex fingerprints = new FingerprintIndex(100_000);
    ProviderMetrics metrics = new ProviderMetrics(factory.name(), fingerprints::reusedCount);
    BackendContext context = BackendContext.standard(metrics.callsOf(factory.name()));
    SecretBackend backend = factory.start(context);
    // The chart's configuration file is shared with sync: serve accepts sync's key and ignores it.
    io.secretsstore.provider.sync.SecretTypePolicy.declare(context.allowLists());
    Optional<ProbeIdentity> probe = readinessProbe.probe(backend);
    SwitchingAuditSink auditSink = audit.sink();
    MountAuditor auditor = audit.auditor(auditSink, configFile != null, fingerprints, Clock.systemUTC(), context.kube());
    // Before the socket exists: no mount may run under allow-lists or an audit destination the file overrides.
    ConfigWatching watcher = configFile == null ? null : ConfigWatching.start(configFile, configCheckInterval, settings,
        audit, logLevel, auditSink, context.allowLists(), metrics);
    Supplier<Optional<String>> backendStatus =
        new RecentResult<>(readinessProbe.readiness(backend, probe), HealthServer.READINESS_CACHE);
    metrics.watchBackend(backend.name(), backendStatus);
    if (metricsAddress != null) {
      HostPort.bind("--metrics-addr", metricsAddr, () -> metrics.serve(metricsAddress));
    }
    ProviderRuntime runtime =
        ProviderRuntime.start(backend, settings, socket, metrics, metrics, auditor, grpcThreads, drainTimeout, socketCheck);
    ProviderServer server = runtime.server();
    metrics.watchCache(runtime.engine());
    if (watcher != null) {
      watcher.attach(runtime.engine());
    }
    HealthServer healthServer = health == null ? null : HostPort.bind("--health-addr", healthAddr,
        () -> HealthServer.start(health, socket, server::socketPresent, backendStatus, readinessIncludesBackend));
    LOG.atInfo()
        .addKeyValue("backend", backend.name())
        .addKeyValue("version", ProviderVersion.get())
        .addKeyValue("socket", socket.toString())
        .log("provider started");

    Thread shutdown =
        new Thread(
            () -> {
              LOG.info("shutting down: draining in-flight calls");
              if (healthServer != null) {
                healthServer.close();
              }
              if (watcher != null) {
                watcher.close();
              }
              runtime.close();
              probe.ifPresent(ProbeIdentity::close);
              auditor.close();
              backend.close();
              context.kube().close();
              metrics.close();
              LOG.info("stopped");
            },
            "shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    server.awaitTermination();
    return 0;
  }

  /** The names of the discovered backends, for help and completion. */
  static final class BackendNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Backends.discover().stream().map(BackendFactory::name).iterator();
    }
  }
}
