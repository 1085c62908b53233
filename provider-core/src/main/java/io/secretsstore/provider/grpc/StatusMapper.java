// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.grpc.Status;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;

/**
 * The one place a failure becomes a gRPC status. The driver shows the description in pod events and
 * retries only UNAVAILABLE, so only transient failures map to it; anything that is not a {@link
 * ProviderException} is a bug and leaves with a fixed text.
 */
public final class StatusMapper {
  /** The description of every status for an unexpected exception. */
  public static final String INTERNAL_DESCRIPTION =
      "internal error in the provider; see the provider log";

  private StatusMapper() {}

  /** The status for a failure. */
  public static Status toStatus(Throwable failure) {
    if (failure instanceof ProviderException provider) {
      return codeOf(provider.kind()).withDescription(provider.getMessage());
    }
    return Status.INTERNAL.withDescription(INTERNAL_DESCRIPTION);
  }

  /** The gRPC code for a kind of failure. */
  public static Status codeOf(ErrorKind kind) {
    return switch (kind) {
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
      case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
      case NOT_FOUND -> Status.NOT_FOUND;
      case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
      case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
      case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case CANCELLED -> Status.CANCELLED;
      case INTERNAL -> Status.INTERNAL;
    };
  }
}
