// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.grpc.StatusRuntimeException;

/** A call to a provider that ended with a non-OK gRPC status: the code name and description. */
public final class ProviderCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String description;

  public ProviderCallException(String code, String description) {
    super("rpc error: code = " + code + " desc = " + description, null, false, false);
    this.code = code;
    this.description = description;
  }

  static ProviderCallException from(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    return new ProviderCallException(
        e.getStatus().getCode().name(), description == null ? "" : description);
  }

  /** The gRPC code name, e.g. {@code INVALID_ARGUMENT}. */
  public String code() {
    return code;
  }

  public String description() {
    return description;
  }
}
