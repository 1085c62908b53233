// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import com.google.api.gax.rpc.ApiException;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.time.Duration;

/**
 * Maps Secret Manager failures to error kinds. Messages carry the operation and gRPC code, never
 * Google's message text: the engine names the object, and library texts stay out of pod events.
 */
final class SecretManagerErrors {
  private SecretManagerErrors() {}

  static ProviderException map(ApiException e, String operation) {
    String code = e.getStatusCode().getCode().name();
    String message = operation + ": " + code;
    return switch (e.getStatusCode().getCode()) {
      case NOT_FOUND -> ProviderException.of(ErrorKind.NOT_FOUND, message);
      case PERMISSION_DENIED, UNAUTHENTICATED ->
          ProviderException.of(ErrorKind.PERMISSION_DENIED, message);
      case RESOURCE_EXHAUSTED -> ProviderException.throttled(message, Duration.ofSeconds(1));
      case FAILED_PRECONDITION ->
          ProviderException.of(
              ErrorKind.FAILED_PRECONDITION, message + " (the version is disabled or destroyed)");
      case INVALID_ARGUMENT, OUT_OF_RANGE ->
          ProviderException.of(ErrorKind.INVALID_ARGUMENT, message);
      case DEADLINE_EXCEEDED, UNAVAILABLE, ABORTED, INTERNAL, UNKNOWN, CANCELLED ->
          ProviderException.of(ErrorKind.UNAVAILABLE, message);
      default -> ProviderException.of(ErrorKind.UNAVAILABLE, message);
    };
  }
}
