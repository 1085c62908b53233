// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * IAM Credentials {@code POST /v1/projects/-/serviceAccounts/EMAIL:generateAccessToken}: the
 * caller's bearer token must be one the emulator issued, and every hop of the chain caller,
 * delegates..., target must be allowed ({@code roles/iam.workloadIdentityUser} or {@code
 * serviceAccountTokenCreator} in real IAM; {@link #allowImpersonation} here). The new token stands
 * for {@code serviceAccount:EMAIL}.
 */
final class IamCredentials {
  static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  private static final String PREFIX = "projects/-/serviceAccounts/";

  private final AccessTokens tokens;

  /** Service account email -> members that may get its tokens. */
  private final Map<String, Set<String>> impersonators = new ConcurrentHashMap<>();

  IamCredentials(AccessTokens tokens) {
    this.tokens = tokens;
  }

  void addServiceAccount(String email) {
    impersonators.computeIfAbsent(email, e -> new CopyOnWriteArraySet<>());
  }

  void allowImpersonation(String email, String member) {
    impersonators.computeIfAbsent(email, e -> new CopyOnWriteArraySet<>()).add(member);
  }

  static String member(String email) {
    return "serviceAccount:" + email;
  }

  EmulatorResponse generateAccessToken(EmulatorRequest request) {
    String last = request.pathParam("name");
    if (!last.endsWith(":generateAccessToken")) {
      return GcpErrors.api(404, "Method not found.");
    }
    String target = last.substring(0, last.length() - ":generateAccessToken".length());
    String caller =
        request
            .header("Authorization")
            .filter(h -> h.startsWith("Bearer "))
            .flatMap(h -> tokens.member(h.substring("Bearer ".length())))
            .orElse(null);
    if (caller == null) {
      return GcpErrors.api(
          401,
          "Request had invalid authentication credentials. Expected OAuth 2 access token, "
              + "login cookie or other valid authentication credential.");
    }
    JsonNode body = request.json();
    List<String> scopes = new ArrayList<>();
    body.path("scope").forEach(s -> scopes.add(s.asText()));
    if (!scopes.contains(SCOPE)) {
      return GcpErrors.api(
          400, "Request contains an invalid argument: scope must include " + SCOPE);
    }
    List<String> chain = new ArrayList<>();
    for (JsonNode delegate : body.path("delegates")) {
      String name = delegate.asText();
      chain.add(name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name);
    }
    chain.add(target);
    String member = caller;
    for (String account : chain) {
      Set<String> allowed = impersonators.get(account);
      if (allowed == null) {
        return GcpErrors.api(404, "Not found; Gaia id not found for email " + account);
      }
      if (!allowed.contains(member)) {
        return GcpErrors.api(
            403,
            "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).");
      }
      member = member(account);
    }
    String token = tokens.issue(member);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("accessToken", token);
    response.put("expireTime", Instant.now().plus(tokens.lifetime()).toString());
    return EmulatorResponse.json(200, response);
  }
}
