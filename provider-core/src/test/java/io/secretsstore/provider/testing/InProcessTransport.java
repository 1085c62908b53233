// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.secretsstore.provider.grpc.ProviderClient;

/**
 * The in-process gRPC transport of service tests. A class of its own so that {@link
 * ProviderFixture} names no in-process type: modules that use the fixture over a socket need not
 * have grpc-inprocess on their class path.
 */
final class InProcessTransport {
  private InProcessTransport() {}

  static ServerBuilder<?> server(String name) {
    return InProcessServerBuilder.forName(name);
  }

  /** A channel to the named server with the driver's receive limit. */
  static ManagedChannel channel(String name) {
    return InProcessChannelBuilder.forName(name)
        .maxInboundMessageSize(ProviderClient.DRIVER_MAX_RECEIVE_BYTES)
        .build();
  }
}
