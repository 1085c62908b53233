// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code emulators --seed}, through the real command line: refused files, and what a good one
 * gives.
 */
class SeedFileTest {
  private static final String CANARY = "S3CR3T-seed-canary";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int emulators(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "emulators";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // seed (\n for new lines) | the error, after "seed.yaml line "
        "nimbus:\\n  secrets: []|1: nimbus: unknown key; expected one of [aws, vault]",
        "vault:\\n  roles:\\n    - name: app\\n      namespace: demo\\n      serviceAcount: app\\n      read: [secret/]"
            + "|5: vault.roles[0].serviceAcount: unknown key; expected one of [audience, name, namespace, read, serviceAccount]",
        "vault:\\n  roles:\\n    - name: app\\n      namespace: demo\\n      read: [secret/]|3: vault.roles[0]: missing key serviceAccount",
        "vault:\\n  secrets:\\n    - path: secret/app/db\\n      versions: "
            + CANARY
            + "|4: vault.secrets[0].versions: must be a list",
        "vault:\\n  secrets:\\n    - path: nomount\\n      versions: [{password: "
            + CANARY
            + "}]"
            + "|3: vault.secrets[0].path: must be <mount>/<path>, e.g. secret/app/db",
        "vault:\\n  secrets:\\n    - path: kv/a\\n      engine: kv-v1\\n      versions: [{a: "
            + CANARY
            + "}, {a: b}]"
            + "|5: vault.secrets[0].versions: KV v1 keeps one version only",
        "aws:\\n  roles:\\n    - arn: app\\n      namespace: demo\\n      serviceAccount: app\\n      read: [demo/]"
            + "|3: aws.roles[0].arn: must be a role ARN, e.g. arn:aws:iam::111122223333:role/app",
        "aws:\\n  parameters:\\n    - name: /p\\n      secure: maybe\\n      versions: [x]|4: aws.parameters[0].secure: must be true or false",
        "vault:\\n  roles: [\\n|3: not valid YAML",
      })
  void aBadSeedFile_isRefusedNamingTheLineAndTheKey_neverAValue(String yaml, String error)
      throws Exception {
    Path seed = Files.writeString(dir.resolve("seed.yaml"), yaml.replace("\\n", "\n"));
    assertThat(emulators("--only", "vault,aws", "--seed", seed.toString(), "--exit-after-start"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--seed: seed.yaml line " + error).doesNotContain(CANARY);
  }

  @Test
  void aGoodSeedFile_givesEachIdentityATokenFileAndItsServeAndMountLines() throws Exception {
    Path seed = Path.of("..", "docs", "local-testing", "vault-seed.yaml");
    Path work = dir.resolve("work");
    assertThat(
            emulators(
                "--only",
                "vault",
                "--seed",
                seed.toString(),
                "--work-dir",
                work.toString(),
                "--exit-after-start"))
        .as(err.toString())
        .isZero();
    String printed = out.toString();
    assertThat(printed)
        .contains("vault: role team-a-app, pod service account team-a/app")
        .containsPattern(
            "  serve: secrets-store-provider serve --backend vault --socket-dir "
                + Pattern.quote(work.resolve("sockets").toString())
                + " .*--vault-addr=https://127\\.0\\.0\\.1:\\d+ --vault-ca-cert="
                + Pattern.quote(work.resolve("ca.pem").toString()));
    Matcher token =
        Pattern.compile(
                "  mount: secrets-store-provider mount --socket \\S+/vault\\.sock --spc YOUR-SPC\\.yaml"
                    + " --target \\S+ --namespace team-a --service-account app --token vault=(\\S+)")
            .matcher(printed);
    assertThat(token.find()).as(printed).isTrue();
    Path file = Path.of(token.group(1));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file).split("\\.")).as("a JWT").hasSize(3);
    assertThat(Files.exists(work)).as("--work-dir is kept").isTrue();
  }
}
