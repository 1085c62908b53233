// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.emulators.EmulatorError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VaultRoleTest {
  @Test
  void role_withoutATtl_getsTheDefault_andAllowsPathsByPrefix() {
    VaultRole role =
        new VaultRole(
            "app", List.of("app"), List.of("demo"), null, List.of("secret/data/app/"), null);

    assertThat(role.tokenTtl()).isEqualTo(VaultRole.DEFAULT_TOKEN_TTL);
    assertThat(role.allows("secret/data/app/db")).isTrue();
    assertThat(role.allows("secret/data/other")).isFalse();
  }

  @Test
  void role_withoutBoundNamesOrWithANonPositiveTtl_isRefused() {
    assertThatThrownBy(
            () -> new VaultRole("app", List.of(), List.of("demo"), null, List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"*\"");
    assertThatThrownBy(
            () -> new VaultRole("app", List.of("a"), List.of("b"), null, List.of(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void globs_matchAnyOrAPrefix() {
    assertThat(VaultRole.matchesGlob(List.of("*"), "anything")).isTrue();
    assertThat(VaultRole.matchesGlob(List.of("team-*"), "team-blue")).isTrue();
    assertThat(VaultRole.matchesGlob(List.of("team-*"), "other")).isFalse();
    assertThat(VaultRole.matchesGlob(List.of("app"), "app2")).isFalse();
  }

  @Test
  void durations_acceptVaultsSyntax() {
    assertThat(VaultDurations.parse(VaultTestClient.JSON.valueToTree(90), "ttl"))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(VaultDurations.parse(VaultTestClient.JSON.valueToTree("90"), "ttl"))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(VaultDurations.parse(VaultTestClient.JSON.valueToTree("1h30m"), "ttl"))
        .isEqualTo(Duration.ofMinutes(90));
    assertThat(VaultDurations.parse(VaultTestClient.JSON.valueToTree("2d"), "ttl"))
        .isEqualTo(Duration.ofDays(2));
    assertThatThrownBy(() -> VaultDurations.parse(VaultTestClient.JSON.valueToTree("soon"), "ttl"))
        .isInstanceOf(EmulatorError.class)
        .hasMessageContaining("ttl");
  }
}
