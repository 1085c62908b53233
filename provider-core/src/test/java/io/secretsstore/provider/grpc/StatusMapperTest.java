// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.testing.Canaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusMapperTest {
  @ParameterizedTest
  @EnumSource(ErrorKind.class)
  void toStatus_everyKindHasTheCodeOfItsName(ErrorKind kind) {
    Status status = StatusMapper.toStatus(ProviderException.of(kind, "objects[0] (\"a\"): reason"));
    assertThat(status.getCode().name()).isEqualTo(kind.name());
    assertThat(status.getDescription()).isEqualTo("objects[0] (\"a\"): reason");
  }

  @Test
  void toStatus_unexpectedException_isInternalWithAFixedText() {
    Status status =
        StatusMapper.toStatus(new IllegalStateException("parse error near " + Canaries.SECRET));
    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.getDescription()).isEqualTo(StatusMapper.INTERNAL_DESCRIPTION);
  }

  @Test
  void throttled_keepsRetryAfterButOnlyShowsTheMessage() {
    ProviderException e =
        ProviderException.throttled("the backend is throttling", java.time.Duration.ofSeconds(3));
    assertThat(e.retryAfter()).contains(java.time.Duration.ofSeconds(3));
    assertThat(StatusMapper.toStatus(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }
}
