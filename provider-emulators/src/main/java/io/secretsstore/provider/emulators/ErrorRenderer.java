// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.util.Map;

/**
 * Renders an error in a cloud's own format (AWS {@code __type}, Key Vault {@code error.code}, Vault
 * {@code errors}), so that the SDK under test parses injected and real errors alike.
 */
@FunctionalInterface
public interface ErrorRenderer {
  /** A neutral format: {@code {"error":{"status":429,"message":"..."}}}. */
  ErrorRenderer DEFAULT =
      (operation, status, message) ->
          EmulatorResponse.json(
              status, Map.of("error", Map.of("status", status, "message", message)));

  /**
   * The error response.
   *
   * @param operation the operation, or {@link CallCounter#UNMATCHED} when no route matched
   * @param status the HTTP status
   * @param message what went wrong, fit to show (no secret values)
   */
  EmulatorResponse render(String operation, int status, String message);
}
