// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.gcp;

import io.secretsstore.provider.emulators.EmulatorResponse;
import io.secretsstore.provider.emulators.ErrorRenderer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Google's HTTP error shapes: OAuth's {@code {"error":"invalid_grant","error_description":...}} for
 * the STS token exchange, and the API error {@code {"error":{"code":403,"message":...,
 * "status":"PERMISSION_DENIED"}}} for IAM Credentials. Injected faults render the same way.
 */
final class GcpErrors implements ErrorRenderer {
  static final String STS_PREFIX = "gcp.sts.";

  @Override
  public EmulatorResponse render(String operation, int status, String message) {
    if (operation.startsWith(STS_PREFIX)) {
      return oauth(
          status,
          status == 429
              ? "temporarily_unavailable"
              : status >= 500 ? "server_error" : "invalid_request",
          message);
    }
    return api(status, message);
  }

  static EmulatorResponse oauth(int status, String error, String description) {
    return EmulatorResponse.json(status, Map.of("error", error, "error_description", description));
  }

  static EmulatorResponse api(int status, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", status);
    error.put("message", message);
    error.put("status", statusName(status));
    return EmulatorResponse.json(status, Map.of("error", error));
  }

  private static String statusName(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    };
  }
}
