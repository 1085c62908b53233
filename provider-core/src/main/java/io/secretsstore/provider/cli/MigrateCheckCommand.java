// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.driver.NodePublishSecretFile;
import io.secretsstore.provider.migrate.ChartValues;
import io.secretsstore.provider.migrate.MigrationCheck;
import io.secretsstore.provider.migrate.SpcReport;
import io.secretsstore.provider.migrate.SpcReport.ObjectReport;
import io.secretsstore.provider.migrate.SpcReport.Verdict;
import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.spi.BackendFactory;
import io.secretsstore.provider.spi.Backends;
import io.secretsstore.provider.spi.SecretBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Checks SecretProviderClasses written for an upstream provider before migrating: per class and per
 * object, mounts unchanged, needs an operator setting (flag and chart value), or refused and why.
 * No backend, cluster or file a class names is contacted.
 */
@Command(
    name = "migrate-check",
    sortOptions = false,
    description = {
      "Check SecretProviderClasses written for an upstream provider against this provider's rules and settings, without"
          + " contacting any backend: per class and per object, mounts unchanged / needs operator setting (flag and chart"
          + " value) / refused, with the reason.",
      "",
      "Give the provider's flags as serve takes them, or a chart values file with --values (default: the flags' defaults, which the"
          + " charts keep). Each class goes"
          + " through its backend's own parameter parsing and policy checks, as a first mount by a pod with tokens for the"
          + " --token-audience audiences. Exit codes: 0 every class mounts unchanged, 1 some need operator settings"
          + " (none refused), 2 usage error, 3 some are refused.",
      ""
    })
final class MigrateCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "SecretProviderClass manifests, or directories of *.yaml/*.yml manifests.")
  List<Path> files;

  @Option(
      names = "--backend",
      paramLabel = "NAME",
      description = "Check every class with this backend (default: the one spec.provider names).")
  String backend;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      defaultValue = "default",
      description = "The pods' namespace when a manifest names none (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--service-account",
      paramLabel = "NAME",
      defaultValue = "default",
      description = "The pods' service account (default: ${DEFAULT-VALUE}).")
  String serviceAccount;

  @Option(
      names = "--token-audience",
      paramLabel = "AUDIENCE",
      description =
          "Another audience of the CSIDriver's tokenRequests, besides those the backends' charts configure (the summary"
              + " lists them; GCP's pool depends on the project: PROJECT.svc.id.goog); repeatable.")
  List<String> audiences = new ArrayList<>();

  @Option(
      names = "--node-publish-secret",
      paramLabel = "FILE",
      description =
          "Secret manifest of the volumes' nodePublishSecretRef (Azure service principal, GCP key.json); values are never printed.")
  Path nodePublishSecret;

  @Option(
      names = "--values",
      paramLabel = "BACKEND=FILE",
      description =
          "A chart values file of a backend's chart (e.g. vault=values.yaml): its operator settings and extraArgs become that "
              + "backend's flags, before the flags given here; repeatable.")
  Map<String, Path> valuesFiles = new LinkedHashMap<>();

  private final List<BackendFactory> discovered;

  private MigrateCheckCommand(List<BackendFactory> discovered) {
    this.discovered = discovered;
  }

  /** The command with every discovered backend's serve flags mixed in. */
  static CommandLine commandLine() {
    List<BackendFactory> backends = Backends.discover();
    return ServeCommand.withBackendOptions(
        new CommandLine(new MigrateCheckCommand(backends)), backends);
  }

  @Override
  public Integer call() throws IOException {
    List<String> tokenAudiences = new ArrayList<>(chartAudiences(discovered));
    tokenAudiences.addAll(audiences);
    MigrationCheck.Pods pods =
        new MigrationCheck.Pods(
            namespace,
            serviceAccount,
            new LinkedHashSet<>(tokenAudiences),
            nodePublishSecret == null ? null : NodePublishSecretFile.read(nodePublishSecret));
    MigrationCheck check = new MigrationCheck(MigrateCheckCommand::dryRun, pods, Clock.systemUTC());
    Map<String, List<String>> flags = withValues(backendFlags());
    PrintWriter out = spec.commandLine().getOut();
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (Path file : manifests()) {
      SpcReport report = check.check(file, backend, flags);
      counts.merge(report.verdict(), 1, Integer::sum);
      print(report, out);
    }
    out.printf(
        "%d SecretProviderClasses: %d mount unchanged, %d need operator settings, %d refused%n",
        counts.values().stream().mapToInt(Integer::intValue).sum(),
        counts.getOrDefault(Verdict.MOUNTS_UNCHANGED, 0),
        counts.getOrDefault(Verdict.NEEDS_SETTINGS, 0),
        counts.getOrDefault(Verdict.REFUSED, 0));
    out.println(
        "Assumed: each pod has tokens for "
            + String.join(", ", tokenAudiences)
            + (nodePublishSecret == null
                ? " and no nodePublishSecretRef"
                : " and the given nodePublishSecretRef")
            + "; files a class names are checked by path only (the provider resolves links on the node).");
    out.flush();
    return counts.containsKey(Verdict.REFUSED)
        ? 3
        : counts.containsKey(Verdict.NEEDS_SETTINGS) ? 1 : 0;
  }

  /**
   * The audiences the discovered backends' charts configure in the CSIDriver's tokenRequests, each
   * once, in backend order.
   */
  static List<String> chartAudiences(List<BackendFactory> backends) {
    return backends.stream()
        .flatMap(backend -> backend.chartAudiences().stream())
        .distinct()
        .toList();
  }

  private static void print(SpcReport report, PrintWriter out) {
    out.println(
        report.source()
            + ": "
            + report.name()
            + (report.backend().isEmpty() ? "" : " (" + report.backend() + ")")
            + ": "
            + report.verdict().text());
    printSettings(report.settings(), "  ", out);
    if (!report.refusal().isEmpty()) {
      out.println("  reason: " + report.refusal());
      out.println(
          "  fix: change the SecretProviderClass as the reason says"
              + (report.backend().isEmpty()
                  ? ""
                  : " (docs/" + report.backend() + ".md, \"Migrating from upstream\")"));
    }
    for (ObjectReport object : report.objects()) {
      out.println(
          "  "
              + object.label()
              + ": "
              + object.verdict().text()
              + (object.paths().isEmpty() ? "" : " -> " + String.join(", ", object.paths())));
      printSettings(object.settings(), "    ", out);
      if (!object.refusal().isEmpty()) {
        out.println("    reason: " + object.refusal());
      }
    }
  }

  private static void printSettings(
      List<OperatorSetting> settings, String indent, PrintWriter out) {
    for (OperatorSetting setting : settings) {
      out.println(
          indent + "needs " + setting.argument() + " (chart value " + setting.chartValue() + ")");
    }
  }

  /** The files given, with directories replaced by their manifests in name order. */
  private List<Path> manifests() throws IOException {
    List<Path> all = new ArrayList<>();
    for (Path file : files) {
      if (Files.isDirectory(file)) {
        try (Stream<Path> walk = Files.walk(file)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .forEach(all::add);
        }
      } else {
        all.add(file);
      }
    }
    return all;
  }

  /** Each backend's flags as given on this command line, as serve would receive them. */
  private Map<String, List<String>> backendFlags() {
    Map<String, List<String>> flags = new LinkedHashMap<>();
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    for (BackendFactory backend : discovered) {
      CommandSpec mixin = spec.mixins().get(backend.name());
      List<String> args = new ArrayList<>();
      if (mixin != null) {
        for (OptionSpec option : mixin.options()) {
          OptionSpec matched = parsed.matchedOption(option.longestName());
          if (matched == null) {
            continue;
          }
          if (matched.arity().max() == 0) {
            args.add(matched.longestName());
          } else {
            matched
                .originalStringValues()
                .forEach(value -> args.add(matched.longestName() + "=" + value));
          }
        }
      }
      flags.put(backend.name(), args);
    }
    return flags;
  }

  /**
   * Each backend's flags with those from its chart values file in front (the command line's win).
   */
  private Map<String, List<String>> withValues(Map<String, List<String>> given) throws IOException {
    Map<String, List<String>> flags = new LinkedHashMap<>(given);
    for (Map.Entry<String, Path> entry : valuesFiles.entrySet()) {
      BackendFactory backend = Backends.named(discovered, entry.getKey());
      List<String> merged =
          new ArrayList<>(
              ChartValues.parse(Files.readString(entry.getValue()), "--values " + entry.getKey())
                  .flags(backend.operatorSettings()));
      merged.addAll(given.getOrDefault(backend.name(), List.of()));
      flags.put(backend.name(), merged);
    }
    return flags;
  }

  /** A fresh backend with its flags parsed as serve parses them, started for a dry run. */
  static SecretBackend dryRun(String name, List<String> flags) {
    BackendFactory backend = Backends.named(Backends.discover(), name);
    if (backend.options() != null) {
      CommandLine parser = new CommandLine(new FlagsOnly());
      parser.addMixin(name, backend.options());
      parser.setOverwrittenOptionsAllowed(true);
      try {
        parser.parseArgs(flags.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        throw new IllegalArgumentException(
            "the " + name + " flags cannot be parsed: " + e.getMessage());
      }
    }
    Clock clock = Clock.systemUTC();
    return backend.startDryRun(new BackendContext(clock, new CredentialCache(clock, 100)));
  }

  /** The command a backend's flags are parsed into. */
  @Command
  static final class FlagsOnly {}
}
