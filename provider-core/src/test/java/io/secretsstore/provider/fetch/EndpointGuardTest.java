// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EndpointGuardTest {
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger calls = new AtomicInteger();
  private final RecordingEvents events = new RecordingEvents();
  private final EndpointGuard guard = new EndpointGuard("test",
      new ResilienceSettings(4, 1, Duration.ofMillis(1), Duration.ofMillis(1), 2, Duration.ofSeconds(30)), events, now::get);
  private static final FetchedObject OK = new FetchedObject(List.of(), List.of());

  private EndpointGuard.Call failing(RuntimeException e) {
    return () -> {
      calls.incrementAndGet();
      throw e;
    };
  }

  private long deadline() {
    return now.get() + Duration.ofMinutes(1).toNanos();
  }

  @Test
  void openCircuit_failsFastWithTheKindThatOpenedIt_thenLetsOneTrialThrough() throws Exception {
    ProviderException down = ProviderException.of(ErrorKind.UNAVAILABLE, "connection refused");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> guard.call(failing(down), deadline())).isSameAs(down);
    }
    assertThat(events.circuits.get()).isEqualTo(1);
    assertThatThrownBy(() -> guard.call(() -> OK, deadline()))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
        .hasMessageContaining("paused");
    assertThat(calls.get()).isEqualTo(2);

    now.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThat(guard.call(() -> OK, deadline())).isSameAs(OK);
    assertThat(guard.call(() -> OK, deadline())).as("closed again after a good trial").isSameAs(OK);
  }

  @Test
  void aTrialThatDiesOfABug_doesNotKeepTheCircuitShut() throws Exception {
    ProviderException down = ProviderException.of(ErrorKind.UNAVAILABLE, "connection refused");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> guard.call(failing(down), deadline())).isSameAs(down);
    }
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThatThrownBy(() -> guard.call(failing(new IllegalStateException("bug")), deadline()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(guard.call(() -> OK, deadline())).isSameAs(OK);
  }

  @Test
  void notFoundOrDenied_sayNothingAboutTheEndpoint_andNeverOpenTheCircuit() throws Exception {
    for (int i = 0; i < 5; i++) {
      ProviderException denied = ProviderException.of(ErrorKind.PERMISSION_DENIED, "denied");
      assertThatThrownBy(() -> guard.call(failing(denied), deadline())).isSameAs(denied);
    }
    assertThat(events.circuits.get()).isZero();
    assertThat(guard.call(() -> OK, deadline())).isSameAs(OK);
  }
}
