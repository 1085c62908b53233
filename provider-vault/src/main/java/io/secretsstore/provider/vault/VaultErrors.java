// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.time.Duration;
import java.util.Optional;

/**
 * Vault's HTTP failures as provider errors. Vault's error bodies are never used: they can quote
 * paths, role names or request data, and the driver's exception messages embed the whole body.
 */
final class VaultErrors {
  private static final long MAX_RETRY_AFTER_SECONDS = 300;

  private VaultErrors() {}

  /**
   * @param action what was attempted, e.g. "read the secret"; a constant
   * @param retryAfter the Retry-After header, if any
   */
  static ProviderException fromStatus(int status, String action, Optional<String> retryAfter) {
    if (status == 401 || status == 403) {
      return ProviderException.of(
          ErrorKind.PERMISSION_DENIED,
          "Vault denied permission to " + action + " (HTTP " + status + ")");
    }
    if (status == 404) {
      return ProviderException.of(
          ErrorKind.NOT_FOUND, "Vault found nothing to " + action + " (HTTP 404)");
    }
    if (status == 429) {
      return ProviderException.throttled(
          "Vault is throttling requests to " + action + " (HTTP 429)",
          retryAfter.flatMap(VaultErrors::seconds).orElse(null));
    }
    if (status >= 500 || status <= 0) {
      return ProviderException.of(
          ErrorKind.UNAVAILABLE,
          "Vault is unavailable to "
              + action
              + (status > 0 ? " (HTTP " + status + ")" : " (no connection)"));
    }
    if (status == 412) {
      // Vault's "not yet replicated" answer on performance standbys: a retry helps.
      return ProviderException.of(
          ErrorKind.UNAVAILABLE, "Vault is not ready to " + action + " (HTTP 412)");
    }
    return ProviderException.of(
        ErrorKind.FAILED_PRECONDITION, "Vault refused to " + action + " (HTTP " + status + ")");
  }

  static ProviderException unreachable(String action, Throwable cause) {
    return ProviderException.of(
        ErrorKind.UNAVAILABLE,
        "cannot reach Vault to " + action + " (" + cause.getClass().getSimpleName() + ")",
        cause);
  }

  private static Optional<Duration> seconds(String header) {
    try {
      long value = Long.parseLong(header.trim());
      return value < 0
          ? Optional.empty()
          : Optional.of(Duration.ofSeconds(Math.min(value, MAX_RETRY_AFTER_SECONDS)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
