// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For each seeded identity: writes its tokens to files (0600) and prints a {@code serve} command
 * for its backend and a {@code mount} command for a pod of that identity, both ready to paste.
 */
final class SeededCommands {
  static final String EXECUTABLE = "secrets-store-provider";
  private final Path workDir;

  SeededCommands(Path workDir) {
    this.workDir = workDir;
  }

  /** Writes the token files and prints the commands. */
  void print(List<SeededIdentity> identities, PrintWriter out) throws IOException {
    if (identities.isEmpty()) {
      out.println(
          "The seed file declares no identity: nothing can mount yet (add roles, serviceAccounts or clients).");
      return;
    }
    Path tokens = Files.createDirectories(workDir.resolve("tokens"));
    Path sockets = Files.createDirectories(workDir.resolve("sockets"));
    out.println(
        "Seeded identities (tokens in "
            + tokens
            + "). Start a provider with the serve line, then mount"
            + " your SecretProviderClass (YOUR-SPC.yaml) as the pod with the mount line:");
    for (SeededIdentity identity : identities) {
      List<String> serve =
          new ArrayList<>(
              List.of(
                  EXECUTABLE,
                  "serve",
                  "--backend",
                  identity.backend(),
                  "--socket-dir",
                  sockets.toString(),
                  "--health-addr",
                  "''",
                  "--metrics-addr",
                  "''",
                  "--audit-log",
                  "''",
                  "--log-format",
                  "text"));
      serve.addAll(identity.serveFlags());
      String pod =
          identity.backend() + "-" + identity.namespace() + "-" + identity.serviceAccount();
      List<String> mount =
          new ArrayList<>(
              List.of(
                  EXECUTABLE,
                  "mount",
                  "--socket",
                  sockets.resolve(identity.backend() + ".sock").toString(),
                  "--spc",
                  "YOUR-SPC.yaml",
                  "--target",
                  workDir.resolve("mnt").resolve(pod).toString(),
                  "--namespace",
                  identity.namespace(),
                  "--service-account",
                  identity.serviceAccount()));
      for (Map.Entry<String, String> token : identity.tokensByAudience().entrySet()) {
        Path file =
            tokens.resolve(pod + "-" + token.getKey().replaceAll("[^A-Za-z0-9_.-]", "_") + ".jwt");
        Files.deleteIfExists(file);
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token.getValue());
        mount.addAll(List.of("--token", token.getKey() + "=" + file));
      }
      out.println();
      out.println(
          identity.backend()
              + ": "
              + identity.description()
              + ", pod service account "
              + identity.namespace()
              + "/"
              + identity.serviceAccount());
      out.println("  serve: " + String.join(" ", serve));
      out.println("  mount: " + String.join(" ", mount));
    }
    out.flush();
  }
}
