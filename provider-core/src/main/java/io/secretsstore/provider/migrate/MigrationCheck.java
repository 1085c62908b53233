// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.migrate;

import io.secretsstore.provider.driver.DriverFailure;
import io.secretsstore.provider.driver.DriverRequest;
import io.secretsstore.provider.driver.DriverRequestBuilder;
import io.secretsstore.provider.driver.NodePublishSecretFile;
import io.secretsstore.provider.driver.PodSettings;
import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.driver.ServiceAccountTokenFiles;
import io.secretsstore.provider.fetch.MountLimits;
import io.secretsstore.provider.fetch.MountRules;
import io.secretsstore.provider.migrate.SpcReport.ObjectReport;
import io.secretsstore.provider.migrate.SpcReport.Verdict;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.SecretBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks SecretProviderClasses against a provider's settings without contacting any backend: each
 * class (and then each of its objects alone) is turned into the MountRequest the driver would send
 * and given to the backend's own {@link SecretBackend#plan} after {@link
 * io.secretsstore.provider.spi.BackendFactory#startDryRun}, then to the engine's plan rules ({@link
 * MountRules}). A refusal that names an {@link OperatorSetting} is retried with that setting added,
 * so the report lists every setting a class needs, then what still refuses it.
 */
public final class MigrationCheck {
  /**
   * Enough for every setting a backend can ask for; a backend asking again for one it got would
   * loop.
   */
  private static final int MAX_SETTINGS = 8;

  private static final MountRules RULES = new MountRules(MountLimits.DEFAULT);
  private static final Path TARGET =
      Path.of("/var/lib/kubelet/pods/migration-check/volumes/kubernetes.io~csi/secrets/mount");

  /** Creates a backend configured from flags and started for a dry run; the caller closes it. */
  @FunctionalInterface
  public interface Backends {
    /**
     * @param name the backend's name
     * @param flags its {@code serve} flags
     * @throws IllegalArgumentException when there is no such backend or a flag is wrong
     */
    SecretBackend dryRun(String name, List<String> flags);
  }

  /**
   * What the pods are assumed to bring.
   *
   * @param namespace the pods' namespace when a manifest names none
   * @param serviceAccount the pods' service account
   * @param audiences the audiences kubelet mints tokens for (the CSIDriver's tokenRequests)
   * @param nodePublishSecret the volumes' nodePublishSecretRef, or null for none
   */
  public record Pods(
      String namespace,
      String serviceAccount,
      Set<String> audiences,
      @Nullable NodePublishSecretFile nodePublishSecret) {
    public Pods {
      audiences = Set.copyOf(audiences);
    }
  }

  private final Backends backends;
  private final Pods pods;
  private final Clock clock;

  public MigrationCheck(Backends backends, Pods pods, Clock clock) {
    this.backends = backends;
    this.pods = pods;
    this.clock = clock;
  }

  /**
   * Checks one manifest.
   *
   * @param backend the backend to check with, or null for the one {@code spec.provider} names
   * @param flags each backend's flags, by backend name
   */
  public SpcReport check(Path file, String backend, Map<String, List<String>> flags) {
    SecretProviderClassFile spc;
    try {
      spc = SecretProviderClassFile.read(file);
      spc.checkForPod(spc.namespace().orElse(pods.namespace()));
    } catch (DriverFailure | IllegalArgumentException e) {
      return new SpcReport(
          file.toString(),
          file.getFileName().toString(),
          "",
          Verdict.REFUSED,
          List.of(),
          Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()),
          List.of());
    }
    String name = spc.namespace().orElse(pods.namespace()) + "/" + spc.name();
    String backendName = backend != null ? backend : spc.provider();
    List<String> given = flags.getOrDefault(backendName, List.of());
    Result whole;
    try {
      whole = settle(spc, backendName, given);
    } catch (IllegalArgumentException e) {
      // No such backend, or flags it cannot take: nothing was checked by a backend.
      return new SpcReport(
          file.toString(),
          name,
          "",
          Verdict.REFUSED,
          List.of(),
          Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()),
          List.of());
    }
    List<ObjectReport> objects = new ArrayList<>();
    ObjectListSplitter.split(spc.parameters())
        .ifPresent(
            split -> {
              for (int i = 0; i < split.singles().size(); i++) {
                Result one =
                    settle(
                        spc.withParameter(split.parameter(), split.singles().get(i)),
                        backendName,
                        given);
                objects.add(
                    new ObjectReport(
                        split.parameter() + "[" + i + "]",
                        one.verdict(),
                        one.paths(),
                        one.settings(),
                        atIndex(one.refusal(), split.parameter(), i)));
              }
            });
    return new SpcReport(
        file.toString(),
        name,
        backendName,
        whole.verdict(),
        whole.settings(),
        whole.refusal(),
        objects);
  }

  /** A message about the one-object list, with the object's index in the class's own list. */
  private static String atIndex(String message, String parameter, int index) {
    return message
        .replace(parameter + ".array[0]", parameter + ".array[" + index + "]")
        .replace(parameter + "[0]", parameter + "[" + index + "]");
  }

  /** The outcome after adding every setting the backend asked for. */
  private record Result(List<OperatorSetting> settings, List<String> paths, String refusal) {
    Verdict verdict() {
      return !refusal.isEmpty()
          ? Verdict.REFUSED
          : settings.isEmpty() ? Verdict.MOUNTS_UNCHANGED : Verdict.NEEDS_SETTINGS;
    }
  }

  private Result settle(SecretProviderClassFile spc, String backendName, List<String> given) {
    List<String> flags = new ArrayList<>(given);
    List<OperatorSetting> needed = new ArrayList<>();
    while (true) {
      try (SecretBackend backend = backends.dryRun(backendName, flags)) {
        MountPlan<?> plan = backend.plan(request(spc));
        // What the engine checks next, before any fetch: object count, ids, path rules.
        RULES.checkPlan(plan);
        return new Result(needed, plan.objects().stream().map(PlannedObject::path).toList(), "");
      } catch (ProviderException e) {
        Optional<OperatorSetting> setting = e.operatorSetting();
        if (setting.isEmpty() || needed.contains(setting.get()) || needed.size() == MAX_SETTINGS) {
          return new Result(needed, List.of(), e.kind() + ": " + e.getMessage());
        }
        needed.add(setting.get());
        flags.add(setting.get().argument());
      }
    }
  }

  /**
   * The request the driver sends for a first mount of the class into a pod with the assumed tokens
   * and secret.
   */
  private MountRequestContext request(SecretProviderClassFile spc) {
    PodSettings pod =
        new PodSettings(
            spc.namespace().orElse(pods.namespace()),
            "migration-check",
            "00000000-0000-4000-8000-000000000000",
            pods.serviceAccount(),
            true,
            Map.of());
    DriverRequestBuilder builder =
        new DriverRequestBuilder(spc, pod, TARGET)
            .tokens(
                ServiceAccountTokenFiles.placeholders(
                    pods.audiences(), clock.instant().plus(Duration.ofHours(1))),
                false);
    if (pods.nodePublishSecret() != null) {
      builder.nodePublishSecret(pods.nodePublishSecret());
    }
    DriverRequest request = builder.publish();
    return MountRequestContext.parse(
        request.attributesJson(),
        request.secretsJson(),
        request.targetPath(),
        request.permission(),
        List.of());
  }
}
