// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.charts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChartSmokeTest {
  @ParameterizedTest
  @EnumSource(Backend.class)
  void rendersWithDefaults(Backend backend) {
    Manifests m = Charts.render(backend, "{}");
    System.out.println(m.kinds());
    assertThat(m.ofKind("DaemonSet")).hasSize(1);
  }
}
