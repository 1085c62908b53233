// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import io.secretsstore.provider.charts.Manifests.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rendered ValidatingAdmissionPolicy applied to one request as the API server applies it: the
 * resource rules and match conditions decide whether it applies, the variables are computed in
 * order, and every validation that is false denies the request with its message.
 */
final class AdmissionPolicies {
  private AdmissionPolicies() {}

  /** How a policy judged a request. */
  record Verdict(boolean matched, List<String> denials) {
    boolean allowed() {
      return denials.isEmpty();
    }
  }

  /**
   * @param operation CREATE, UPDATE or DELETE
   * @param resource the plural, e.g. secrets, serviceaccounts/token, secretsyncs
   * @param oldObject null unless UPDATE or DELETE
   */
  static Verdict apply(
      Node policy,
      String username,
      String operation,
      String group,
      String resource,
      Map<String, Object> object,
      Map<String, Object> oldObject) {
    Node spec = policy.get("spec");
    boolean ruleMatches =
        spec.at("matchConstraints.resourceRules").list().stream()
            .anyMatch(
                rule ->
                    rule.get("apiGroups").strings().contains(group)
                        && rule.get("operations").strings().contains(operation)
                        && rule.get("resources").strings().contains(resource));
    Map<String, Object> request = new HashMap<>();
    request.put("operation", operation);
    request.put("userInfo", Map.of("username", username));
    request.put("namespace", "team-a");
    Map<String, Object> inputs = new HashMap<>();
    inputs.put("object", object);
    inputs.put("oldObject", oldObject);
    inputs.put("request", request);
    Map<String, Object> variables = new LinkedHashMap<>();
    inputs.put("variables", variables);
    if (!ruleMatches
        || !spec.get("matchConditions").list().stream()
            .allMatch(c -> CelRules.test(c.get("expression").string(), inputs))) {
      return new Verdict(false, List.of());
    }
    for (Node variable : spec.get("variables").list()) {
      variables.put(
          variable.get("name").string(),
          CelRules.eval(variable.get("expression").string(), inputs));
    }
    List<String> denials = new ArrayList<>();
    for (Node validation : spec.get("validations").list()) {
      if (!CelRules.test(validation.get("expression").string(), inputs)) {
        Node message = validation.get("messageExpression");
        denials.add(
            message.isMissing()
                ? validation.get("message").string()
                : String.valueOf(CelRules.eval(message.string(), inputs)));
      }
    }
    return new Verdict(true, denials);
  }
}
