// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import io.secretsstore.provider.driver.DriverRequest;
import io.secretsstore.provider.driver.DriverRequestBuilder;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.json.GoJson;
import io.secretsstore.provider.mount.PodIdentity;
import io.secretsstore.provider.mount.ServiceAccountTokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Check 13: malformed requests get a clean error. Each carries planted values; none may come back.
 * Needs no SecretProviderClass: with one, the bad permission rides on its otherwise valid request.
 */
final class ErrorChecks {
  /** Codes the driver shows as they are; not wrong, but they tell the user nothing actionable. */
  private static final Set<String> VAGUE = Set.of("UNKNOWN", "INTERNAL");

  private static final int MAX_ERROR_CODE = 64;

  private final ProviderProbe probe;
  private final Optional<DriverRequest> valid;

  ErrorChecks(ProviderProbe probe, Optional<DriverRequest> valid) {
    this.probe = probe;
    this.valid = valid;
  }

  CheckResult run() {
    Findings findings = new Findings();
    String secrets = GoJson.object(Map.of(PlantedValues.SECRET_KEY, PlantedValues.SECRET_VALUE));
    judge(
        "attributes that are not JSON",
        call("not json " + PlantedValues.TOKEN, secrets, "420"),
        findings);
    judge(
        "attributes that are a JSON array",
        call("[\"" + PlantedValues.TOKEN + "\"]", secrets, "420"),
        findings);
    String attributes =
        valid.map(DriverRequest::attributesJson).orElseGet(ErrorChecks::podOnlyAttributes);
    judge("permission \"abc\"", call(attributes, secrets, "abc"), findings);
    return CheckResult.of(
        13,
        findings,
        "3 malformed requests refused with a specific code and no planted value in the message");
  }

  private Attempt call(String attributes, String secrets, String permission) {
    String target =
        valid
            .map(DriverRequest::targetPath)
            .orElse("/var/lib/kubelet/pods/conformance/volumes/kubernetes.io~csi/v/mount");
    return probe.mount(
        new ProviderClient.MountCall(attributes, secrets, target, permission, List.of()),
        SocketChecks.VERSION_LIMIT.multipliedBy(6));
  }

  private static void judge(String what, Attempt attempt, Findings findings) {
    if (attempt.mentionsAny(PlantedValues.all())) {
      findings.fail(what + ": the answer echoes a planted token or secret");
      return;
    }
    if (attempt.succeeded()) {
      findings.fail(what + ": accepted (" + attempt.summary() + ")");
    } else if (attempt.ok()) {
      String code = attempt.reply().orElseThrow().errorCode();
      findings.require(
          code.length() <= MAX_ERROR_CODE,
          what + ": error.code is not short (it becomes a metric label)");
    } else if (attempt.code().equals("UNAVAILABLE")) {
      findings.fail(
          what + ": UNAVAILABLE, which the driver retries 3 times; a bad request is not transient");
    } else if (attempt.code().equals("DEADLINE_EXCEEDED")) {
      findings.fail(what + ": no answer within the deadline");
    } else if (attempt.description().isBlank()) {
      findings.warn(what + ": " + attempt.code() + " without a message");
    } else if (VAGUE.contains(attempt.code())) {
      findings.warn(
          what
              + ": "
              + attempt.summary()
              + " (a specific code such as INVALID_ARGUMENT says more)");
    }
  }

  /** What kubelet sends for a pod, with no SecretProviderClass parameters and a planted token. */
  private static String podOnlyAttributes() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(PodIdentity.NAME, "conformance");
    attributes.put(PodIdentity.NAMESPACE, "default");
    attributes.put(PodIdentity.UID, "00000000-0000-4000-8000-000000000000");
    attributes.put(PodIdentity.SERVICE_ACCOUNT, "default");
    attributes.put(DriverRequestBuilder.SECRET_PROVIDER_CLASS, "conformance");
    attributes.put(
        ServiceAccountTokens.KEY,
        "{\""
            + PlantedValues.FOREIGN_AUDIENCE
            + "\":{\"token\":\""
            + PlantedValues.TOKEN
            + "\",\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"}}");
    return GoJson.object(attributes);
  }
}
