// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.grpc.BindableService;
import io.grpc.ServerBuilder;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The limits every provider gRPC server gets, applied here once for whichever builder carries it:
 * the Netty Unix-socket builder in production, an in-process one in service tests.
 *
 * <p>Limits that only a transport can enforce (calls per connection, read buffers) are set by the
 * transport's own builder in {@link ProviderServer}; the admission budget travels with the service
 * definition ({@link CsiDriverProviderService#admittingDefinition()}), so it holds on any
 * transport. The in-process transport does not frame messages and so ignores the request size
 * limit; the socket enforces it (SecurityChecklistIT row 19).
 */
public final class ServerLimits {
  private ServerLimits() {}

  /** Adds the services and sets the executor and the request size limit; returns the builder. */
  public static <B extends ServerBuilder<?>> B apply(
      B builder, List<BindableService> services, Executor executor) {
    builder.executor(executor);
    // The driver sends at most its own 4 MiB default; a larger request fails RESOURCE_EXHAUSTED
    // before any of it is parsed.
    builder.maxInboundMessageSize(ProviderServer.MAX_REQUEST_BYTES);
    services.forEach(builder::addService);
    return builder;
  }
}
