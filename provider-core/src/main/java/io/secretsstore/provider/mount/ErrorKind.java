// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

/**
 * What went wrong, in the terms the driver and the pod's events understand. {@code StatusMapper}
 * turns each kind into exactly one gRPC code.
 */
public enum ErrorKind {
  /** Bad SecretProviderClass parameters or request fields. */
  INVALID_ARGUMENT,
  /** The pod's service-account token is missing, expired or unusable. */
  UNAUTHENTICATED,
  /** The backend refused the pod's identity (401/403). */
  PERMISSION_DENIED,
  /** The object or version does not exist. */
  NOT_FOUND,
  /** The object exists but cannot be served as asked (disabled version, not JSON, ...). */
  FAILED_PRECONDITION,
  /** Throttled by the backend, or an object or the response is too large. */
  RESOURCE_EXHAUSTED,
  /** The mount did not finish within its deadline. */
  DEADLINE_EXCEEDED,
  /** A transient failure that a retry can fix; the driver retries exactly this code. */
  UNAVAILABLE,
  /** The caller went away. */
  CANCELLED,
  /** A bug; the status carries a fixed text and the details stay in the log. */
  INTERNAL
}
