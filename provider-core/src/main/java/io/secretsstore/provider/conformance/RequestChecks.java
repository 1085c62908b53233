// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.driver.DriverRequest;
import io.secretsstore.provider.driver.PodSettings;
import io.secretsstore.provider.json.GoJson;
import io.secretsstore.provider.mount.ServiceAccountTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Checks 4 to 9: the provider accepts every shape of request the driver sends for a mount it can
 * serve (unknown attributes, one or several audiences, each form of {@code secrets}, the decimal
 * permission, empty and populated current versions), and answers each with the same files.
 */
final class RequestChecks {
  /** Codes a provider may give when the tokens are absent: the pod's problem, said clearly. */
  private static final Set<String> TOKENLESS_CODES =
      Set.of(
          "UNAUTHENTICATED",
          "INVALID_ARGUMENT",
          "PERMISSION_DENIED",
          "FAILED_PRECONDITION",
          "NOT_FOUND");

  /** 0600: a permission other than the driver's, to see whether the provider uses the field. */
  private static final String OTHER_PERMISSION = "384";

  private final ProviderProbe probe;
  private final ValidMount mount;
  private final Path target;
  private final Path work;
  private final Attempt base;
  private final DriverRequest baseRequest;

  RequestChecks(
      ProviderProbe probe, ValidMount mount, Path work, DriverRequest baseRequest, Attempt base) {
    this.probe = probe;
    this.mount = mount;
    this.work = work;
    this.target = Path.of(baseRequest.targetPath());
    this.baseRequest = baseRequest;
    this.base = base;
  }

  List<CheckResult> run() throws IOException {
    return List.of(
        unknownAttributes(), tokens(), secrets(), permission(), currentVersions(), versions());
  }

  private CheckResult unknownAttributes() {
    PodSettings pod = mount.pod();
    Map<String, String> attributes = new HashMap<>(pod.volumeAttributes());
    attributes.put("conformance.example.com/added-by-pod-author", "true");
    PodSettings withExtra =
        new PodSettings(
            pod.namespace(), pod.name(), pod.uid(), pod.serviceAccount(), true, attributes);
    Findings findings = new Findings();
    sameAsBase(
        "with secretProviderClass, ephemeral and a pod author's attribute",
        probe.mount(mount.builder(withExtra, target, mount.tokenFiles(), false).publish()),
        findings);
    return CheckResult.of(
        4,
        findings,
        "secretProviderClass, csi.storage.k8s.io/ephemeral and a pod author's attribute are ignored");
  }

  private CheckResult tokens() throws IOException {
    Findings findings = new Findings();
    Path foreign = Files.writeString(work.resolve("foreign-token"), PlantedValues.TOKEN);
    Map<String, Path> several = mount.tokenFilesWith(PlantedValues.FOREIGN_AUDIENCE, foreign);
    Attempt withSeveral = probe.mount(mount.builder(mount.pod(), target, several, false).publish());
    sameAsBase("with a token for one more audience", withSeveral, findings);
    findings.require(
        !withSeveral.mentionsAny(PlantedValues.all()),
        "the answer echoes the other audience's token");
    if (!mount.tokenFiles().isEmpty()) {
      Attempt absent = probe.mount(mount.builder(mount.pod(), target, Map.of(), false).publish());
      boolean clean = absent.succeeded() || TOKENLESS_CODES.contains(absent.code());
      findings.require(
          clean,
          "without the tokens attribute: "
              + absent.summary()
              + " (expected success or one of "
              + TOKENLESS_CODES
              + ")");
    }
    return CheckResult.of(
        5,
        findings,
        (mount.tokenFiles().isEmpty() ? "no tokens given; " : "absent tokens refused cleanly; ")
            + "a token for a further audience is ignored");
  }

  private CheckResult secrets() {
    Findings findings = new Findings();
    SortedMap<String, String> nodePublish = baseRequest.secrets();
    // The first mount sent null (no nodePublishSecretRef) or the Secret's data, which the provider
    // may need; {} is driver v1.5's rotation form of "none".
    if (nodePublish == null) {
      sameAsBase(
          "secrets {} (driver v1.5 rotation)",
          probe.mount(withSecrets(GoJson.sorted(Map.of()))),
          findings);
    }
    Map<String, String> populated = new HashMap<>(nodePublish == null ? Map.of() : nodePublish);
    populated.put(PlantedValues.SECRET_KEY, PlantedValues.SECRET_VALUE);
    Attempt withMap = probe.mount(withSecrets(GoJson.sorted(populated)));
    // A provider may refuse nodePublishSecretRef credentials it is not configured to take.
    if (!withMap.code().equals("INVALID_ARGUMENT")) {
      sameAsBase("secrets with a nodePublishSecretRef value", withMap, findings);
    }
    findings.require(
        !withMap.mentionsAny(PlantedValues.all()),
        "the answer echoes a nodePublishSecretRef value");
    if (!mount.tokenFiles().isEmpty()) {
      sameAsBase(
          "tokens in secrets (serviceAccountTokenInSecrets)",
          probe.mount(mount.builder(mount.pod(), target, mount.tokenFiles(), true).publish()),
          findings);
    }
    return CheckResult.of(
        6, findings, "every form of secrets the driver sends gives the same files");
  }

  private DriverRequest withSecrets(SortedMap<String, String> secrets) {
    SortedMap<String, String> attributes = new java.util.TreeMap<>(baseRequest.attributes());
    if (secrets != null && secrets.containsKey(ServiceAccountTokens.KEY)) {
      attributes.put(ServiceAccountTokens.KEY, secrets.get(ServiceAccountTokens.KEY));
    }
    return new DriverRequest(
        attributes, secrets, baseRequest.targetPath(), baseRequest.permission(), List.of(), false);
  }

  private CheckResult permission() {
    Findings findings = new Findings();
    List<String> zero = new ArrayList<>();
    base.reply().orElseThrow().files().stream()
        .filter(f -> f.mode() == 0)
        .forEach(f -> zero.add(f.path()));
    findings.require(zero.isEmpty(), "mode 0 for " + zero + " with permission \"420\"");
    Attempt other =
        probe.mount(
            new DriverRequest(
                baseRequest.attributes(),
                baseRequest.secrets(),
                baseRequest.targetPath(),
                OTHER_PERMISSION,
                List.of(),
                false));
    int followed = 0;
    if (other.succeeded()) {
      Map<String, Integer> baseModes = new HashMap<>();
      base.reply().orElseThrow().files().forEach(f -> baseModes.put(f.path(), f.mode()));
      for (var file : other.reply().orElseThrow().files()) {
        Integer was = baseModes.get(file.path());
        if (was != null && was != file.mode()) {
          followed++;
          findings.require(
              was == 420 && file.mode() == 384,
              "file "
                  + file.path()
                  + " changes mode with permission, but not to it ("
                  + was
                  + " with 420, "
                  + file.mode()
                  + " with 384)");
        }
      }
    } else {
      findings.fail("permission \"384\" refused: " + other.summary());
    }
    return CheckResult.of(
        7,
        findings,
        followed
            + " of "
            + base.files().size()
            + " files take the permission as their mode; the others set their own");
  }

  private CheckResult currentVersions() {
    Findings findings = new Findings();
    List<io.secretsstore.provider.mount.ObjectVersion> current =
        base.reply().orElseThrow().versions();
    DriverRequest rotation = mount.builder(target).v15Rotation(current);
    sameAsBase(
        "driver v1.5 rotation call with " + current.size() + " current versions",
        probe.mount(rotation),
        findings);
    return CheckResult.of(8, findings, "empty (v1.6) and populated (v1.5 rotation) both mount");
  }

  private CheckResult versions() {
    Findings findings = new Findings();
    var reply = base.reply().orElseThrow();
    findings.require(
        !reply.versions().isEmpty(),
        "no object_version: the driver fails with \"missing object versions\"");
    long ids = reply.versions().stream().map(v -> v.id()).distinct().count();
    findings.require(
        ids == reply.versions().size(), "object ids repeat; the driver keeps only the last");
    findings.require(
        reply.versions().stream().noneMatch(v -> v.id().isEmpty()), "an object id is empty");
    Attempt again = probe.mount(baseRequest);
    if (again.succeeded() && again.files().equals(base.files())) {
      findings.require(
          again.versions().equals(base.versions()),
          "versions change between two mounts of unchanged content");
    }
    return CheckResult.of(
        9,
        findings,
        reply.versions().size() + " versions, unique ids, unchanged on a repeated mount");
  }

  /** Fails unless {@code attempt} mounted the same paths and contents as the first mount. */
  private void sameAsBase(String what, Attempt attempt, Findings findings) {
    if (!attempt.succeeded()) {
      findings.fail(what + ": " + attempt.summary());
    } else if (!attempt.files().equals(base.files())) {
      findings.fail(what + ": other files than the first mount (" + attempt.files().keySet() + ")");
    }
  }
}
