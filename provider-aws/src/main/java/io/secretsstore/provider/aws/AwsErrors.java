// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.time.Duration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps SDK failures to error kinds. Messages carry the region, the operation, the entry and AWS's
 * error code, never AWS's message text, which may quote names or request contents.
 */
final class AwsErrors {
  private AwsErrors() {}

  static ProviderException map(SdkException e, String region, String operation, String where) {
    String prefix = region + ": " + operation + " " + where + ": ";
    if (e instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null
              ? ""
              : String.valueOf(service.awsErrorDetails().errorCode());
      int status = service.statusCode();
      String message = prefix + (code.isEmpty() ? "HTTP " + status : code);
      if (service.isThrottlingException()) {
        return ProviderException.throttled(message, Duration.ofSeconds(1));
      }
      if (code.equals("ResourceNotFoundException")
          || code.equals("ParameterNotFound")
          || code.equals("ParameterVersionNotFound")
          || status == 404) {
        return ProviderException.of(ErrorKind.NOT_FOUND, message);
      }
      if (status == 401
          || status == 403
          || code.startsWith("AccessDenied")
          || code.equals("ExpiredTokenException")
          || code.equals("InvalidIdentityToken")
          || code.equals("UnrecognizedClientException")) {
        return ProviderException.of(ErrorKind.PERMISSION_DENIED, message);
      }
      if (status >= 500) {
        return ProviderException.of(ErrorKind.UNAVAILABLE, message);
      }
      return ProviderException.of(ErrorKind.FAILED_PRECONDITION, message);
    }
    if (e instanceof SdkClientException) {
      return ProviderException.of(
          ErrorKind.UNAVAILABLE,
          prefix + "cannot reach AWS (" + e.getClass().getSimpleName() + ")");
    }
    return ProviderException.of(ErrorKind.UNAVAILABLE, prefix + e.getClass().getSimpleName());
  }

  /** Whether the other region may be tried: network, 5xx and throttling, never a 4xx answer. */
  static boolean retryable(ProviderException e) {
    return e.kind() == ErrorKind.UNAVAILABLE
        || e.isThrottled()
        || e.kind() == ErrorKind.RESOURCE_EXHAUSTED;
  }
}
