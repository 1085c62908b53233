// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.proto.v1alpha1.CSIDriverProviderGrpc;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import org.junit.jupiter.api.Test;

class InFlightBytesTest {
  @Test
  void reservationsBeyondTheBudget_areRefusedAsResourceExhausted_untilBytesAreReleased() {
    InFlightBytes budget = new InFlightBytes(100);
    InFlightBytes.Reservation first = budget.reserve(60);
    assertThatThrownBy(() -> budget.reserve(41))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED))
        .hasMessageContaining("bytes in flight");
    first.close();
    first.close();
    assertThat(budget.reserved()).as("a reservation is released once").isZero();
    budget.reserve(100).close();
  }

  @Test
  void theMarshaller_parsesWhatTheBudgetAdmits_andRefusesTheRestUnread() {
    InFlightBytes budget = new InFlightBytes(4 * 1000);
    AdmittingMarshaller marshaller =
        new AdmittingMarshaller(
            CSIDriverProviderGrpc.getMountMethod().getRequestMarshaller(), budget);
    MountRequest small = MountRequest.newBuilder().setAttributes("x".repeat(900)).build();
    MountRequest large = MountRequest.newBuilder().setAttributes("x".repeat(1100)).build();
    assertThat(marshaller.parse(marshaller.stream(small))).isEqualTo(small);
    assertThat(budget.reserved()).as("released after parsing").isZero();
    assertThat(marshaller.parse(marshaller.stream(large))).isSameAs(AdmittingMarshaller.REFUSED);
  }
}
