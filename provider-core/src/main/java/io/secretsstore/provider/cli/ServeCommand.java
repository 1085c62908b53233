// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.ProviderVersion;
import io.secretsstore.provider.audit.FingerprintIndex;
import io.secretsstore.provider.audit.MountAuditor;
import io.secretsstore.provider.audit.SwitchingAuditSink;
import io.secretsstore.provider.config.SettingValues;
import io.secretsstore.provider.config.Settings;
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
@Command(
    name = "serve",
    description = "Serve the CSI driver's provider API for one backend on a Unix socket.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--backend",
      required = true,
      description = "The backend: ${COMPLETION-CANDIDATES}.",
      completionCandidates = BackendNames.class)
  String backendName;

  @Option(
      names = "--provider-name",
      description =
          "Socket name, as in SecretProviderClass spec.provider (default: the backend name).")
  String providerName;

  @Option(
      names = "--socket-dir",
      defaultValue = "/etc/kubernetes/secrets-store-csi-providers",
      description = "Directory of the provider socket (default: ${DEFAULT-VALUE}).")
  Path socketDir;

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

  @Mixin ReadinessProbeOptions readinessProbe;

  @Option(
      names = "--readiness-includes-backend",
      description =
          "Make /readyz fail while the backend (or the readiness probe identity) cannot serve. Off by default: readiness means"
              + " the socket serves, so a cloud outage does not mark every node's provider NotReady; /readyz?verbose and"
              + " secrets_store_provider_backend_up report the backend either way.")
  boolean readinessIncludesBackend;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML file (e.g. a mounted ConfigMap) with logLevel, cache timings, auditLog and allow-lists; reloaded on change without a restart.")
  Path configFile;

  private final List<BackendFactory> backends;
  private final SettingOptions settingFlags = new SettingOptions();

  private ServeCommand(List<BackendFactory> backends) {
    this.backends = backends;
  }

  /** The serve command with the settings' flags and every discovered backend's own options. */
  static CommandLine commandLine() {
    List<BackendFactory> backends = Backends.discover();
    ServeCommand serve = new ServeCommand(backends);
    CommandLine command = new CommandLine(serve);
    serve.settingFlags.addTo(command);
    return withBackendOptions(command, backends);
  }

  /**
   * Adds every backend's own flags to a command that runs a backend ({@code serve}, {@code sync}).
   */
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
    Assembly parts = new Assembly();
    ProviderServer server = parts.build(this::start);
    parts.closeOnShutdown(() -> LOG.info("shutting down: draining in-flight calls"));
    server.awaitTermination();
    return 0;
  }

  /**
   * Builds the provider's parts in the order they depend on each other, up to the served socket.
   */
  private ProviderServer start(Assembly parts) throws Exception {
    SettingValues flags = settingFlags.values();
    LogSetup.configure(logFormat, flags.get(Settings.LOG_LEVEL));
    BackendFactory factory = Backends.named(backends, backendName);
    String name = providerName == null ? factory.name() : providerName;
    Path socket = SocketPath.of(socketDir, name);
    InetSocketAddress health = HostPort.parse(healthAddr, "--health-addr");
    InetSocketAddress metricsAddress = HostPort.parse(metricsAddr, "--metrics-addr");
    EngineSettings engineSettings = flags.engine();

    FingerprintIndex fingerprints = new FingerprintIndex(100_000);
    ProviderMetrics metrics =
        parts.add("metrics", new ProviderMetrics(factory.name(), fingerprints::reusedCount));
    BackendStart.Started started = BackendStart.startIn(parts, factory, metrics);
    BackendContext context = started.context();
    SecretBackend backend = started.backend();
    // The chart's configuration file is shared with sync: serve accepts sync's key and ignores it.
    io.secretsstore.provider.sync.SecretTypePolicy.declare(context.allowLists());
    Optional<ProbeIdentity> probe = readinessProbe.probe(backend);
    probe.ifPresent(identity -> parts.add("readiness probe", identity));
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
    // Before the socket exists: no mount may run under allow-lists or an audit destination the file
    // overrides.
    Optional<ConfigWatching> watcher =
        ConfigWatching.startIn(parts, configFile, flags, auditSink, context.allowLists(), metrics);
    Supplier<Optional<String>> backendStatus =
        new RecentResult<>(readinessProbe.readiness(backend, probe), HealthServer.READINESS_CACHE);
    metrics.watchBackend(backend.name(), backendStatus);
    if (metricsAddress != null) {
      HostPort.bind("--metrics-addr", metricsAddr, () -> metrics.serve(metricsAddress));
    }
    ProviderRuntime runtime =
        parts.add(
            "runtime",
            ProviderRuntime.start(
                backend,
                engineSettings,
                socket,
                metrics,
                metrics,
                auditor,
                flags.get(Settings.GRPC_THREADS),
                flags.get(Settings.DRAIN_TIMEOUT),
                flags.get(Settings.SOCKET_CHECK_INTERVAL)));
    ProviderServer server = runtime.server();
    metrics.watchCache(runtime.engine());
    watcher.ifPresent(w -> w.attach(runtime.engine()));
    if (health != null) {
      parts.add(
          "health server",
          HostPort.bind(
              "--health-addr",
              healthAddr,
              () ->
                  HealthServer.start(
                      health,
                      socket,
                      server::socketPresent,
                      backendStatus,
                      readinessIncludesBackend)));
    }
    LOG.atInfo()
        .addKeyValue("backend", backend.name())
        .addKeyValue("version", ProviderVersion.get())
        .addKeyValue("socket", socket.toString())
        .log("provider started");
    return server;
  }

  /** The names of the discovered backends, for help and completion. */
  static final class BackendNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Backends.discover().stream().map(BackendFactory::name).iterator();
    }
  }
}
