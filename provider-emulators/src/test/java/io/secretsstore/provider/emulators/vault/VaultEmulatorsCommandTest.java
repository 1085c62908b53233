// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The vault emulator through the provider's real {@code emulators} command. */
class VaultEmulatorsCommandTest {
  @TempDir Path dir;

  @Test
  void emulatorsCommand_startsVault_andPrintsItsAddressesAndCaFile() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    Path ca = dir.resolve("ca.pem");

    int code =
        cli.execute(
            "emulators",
            "--only",
            "vault",
            "--ca-file",
            ca.toString(),
            "--set",
            "vault.require-client-certificates=true",
            "--exit-after-start");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .containsPattern("vault\\s+VAULT_ADDR\\s+http://127\\.0\\.0\\.1:\\d+")
        .containsPattern("vault\\s+VAULT_ADDR_TLS\\s+https://127\\.0\\.0\\.1:\\d+")
        .containsPattern(
            "vault\\s+VAULT_CACERT\\s+" + java.util.regex.Pattern.quote(ca.toString()));
  }
}
