// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The sync command's defaults that make it keep upstream's contract. */
class SyncCommandTest {
  private static CommandSpec sync(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "sync";
    all[1] = "--backend";
    all[2] = "test";
    System.arraycopy(args, 0, all, 3, args.length);
    CommandLine.ParseResult parsed = Main.commandLine().parseArgs(all);
    assertThat(parsed.subcommand().errors()).isEmpty();
    return parsed.subcommand().commandSpec();
  }

  @Test
  void defaults_shareUpstreamsLease_mintTenMinuteTokens_andReadSecretsOnlyByName() {
    CommandSpec spec = sync();
    assertThat((String) spec.findOption("--leader-election-id").getValue())
        .isEqualTo("29f1d54e.secret-sync.x-k8s.io");
    assertThat((Duration) spec.findOption("--token-ttl").getValue())
        .isEqualTo(Duration.ofMinutes(10));
    Object ownerCheck = spec.findOption("--secret-owner-check").getValue();
    assertThat(ownerCheck).hasToString("read");
  }

  @Test
  void theChartsOwnerCheck_isAccepted_andAnUnknownOneIsNot() {
    Object ownerCheck =
        sync("--secret-owner-check=admission").findOption("--secret-owner-check").getValue();
    assertThat(ownerCheck).hasToString("admission");
    CommandLine.ParseResult parsed = null;
    try {
      parsed =
          Main.commandLine().parseArgs("sync", "--backend", "test", "--secret-owner-check=none");
    } catch (CommandLine.ParameterException e) {
      assertThat(e.getMessage()).contains("--secret-owner-check");
    }
    assertThat(parsed).isNull();
  }
}
