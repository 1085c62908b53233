// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Parses a MountRequest only when the {@link InFlightBytes} budget admits what parsing allocates;
 * otherwise answers {@link #REFUSED} without reading it, which the service turns into
 * RESOURCE_EXHAUSTED (an exception here would reach the driver as UNKNOWN).
 */
final class AdmittingMarshaller implements MethodDescriptor.Marshaller<MountRequest> {
  /** Stands for a request that was not parsed; compared by identity. */
  static final MountRequest REFUSED =
      MountRequest.newBuilder().setTargetPath("refused: in-flight bytes").build();

  /**
   * Heap that parsing one request byte may take at once: the wire bytes read into an array, the
   * decoded strings (Latin-1 or UTF-16), and the decoder's working copy.
   */
  static final int PARSE_EXPANSION = 4;

  private final MethodDescriptor.Marshaller<MountRequest> parser;
  private final InFlightBytes budget;

  AdmittingMarshaller(MethodDescriptor.Marshaller<MountRequest> parser, InFlightBytes budget) {
    this.parser = parser;
    this.budget = budget;
  }

  @Override
  public InputStream stream(MountRequest value) {
    return parser.stream(value);
  }

  @Override
  public MountRequest parse(InputStream stream) {
    long size;
    try {
      // gRPC hands over the whole message, whose length it knows; anything else is taken at the
      // maximum.
      size = stream instanceof KnownLength ? stream.available() : ProviderServer.MAX_REQUEST_BYTES;
    } catch (IOException e) {
      size = ProviderServer.MAX_REQUEST_BYTES;
    }
    InFlightBytes.Reservation reservation;
    try {
      reservation = budget.reserve(size * PARSE_EXPANSION);
    } catch (ProviderException refused) {
      return REFUSED;
    }
    try (reservation) {
      return parser.parse(stream);
    }
  }
}
