// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.migrate;

import io.secretsstore.provider.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * One run of {@code migrate-check} through the real command line, for the tests.
 *
 * @param code the exit code
 * @param out what it printed
 * @param err what it printed as errors
 */
record MigrateCheckRun(int code, String out, String err) {
  /** Runs {@code migrate-check FLAGS FILES}. */
  static MigrateCheckRun of(List<String> flags, Path... files) {
    List<String> args = new ArrayList<>(List.of("migrate-check"));
    args.addAll(flags);
    for (Path file : files) {
      args.add(file.toString());
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args.toArray(String[]::new));
    return new MigrateCheckRun(code, out.toString(), err.toString());
  }

  /** Writes a nodePublishSecretRef Secret manifest with an Azure service principal's keys. */
  static Path servicePrincipalSecret(Path file, String clientSecret) throws IOException {
    return Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: kv-creds
        stringData:
          clientid: 0a1b2c3d-0000-0000-0000-000000000000
          clientsecret: %s
        """
            .formatted(clientSecret));
  }
}
