// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import static io.secretsstore.provider.driver.ScriptedProvider.errorCode;
import static io.secretsstore.provider.driver.ScriptedProvider.file;
import static io.secretsstore.provider.driver.ScriptedProvider.response;
import static io.secretsstore.provider.driver.ScriptedProvider.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.secretsstore.provider.cli.Main;
import io.secretsstore.provider.proto.v1alpha1.MountRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code mount} command end to end through picocli, with canaries planted in a token, a
 * nodePublishSecretRef value and a returned file: none may appear in anything printed, on the
 * command's writers or on the process's stdout and stderr.
 */
class MountCommandIT {
  private static final String TOKEN_CANARY = "eyJcanary";
  private static final String NPS_CANARY = "S3CR3T-nps-canary";
  private static final String FILE_CANARY = "S3CR3T-file-canary";
  private static final List<String> CANARIES = List.of(TOKEN_CANARY, NPS_CANARY, FILE_CANARY);

  @TempDir Path dir;
  private ScriptedProvider provider;
  private Path tokenFile;
  private Path target;
  private final StringBuilder allOutput = new StringBuilder();

  @BeforeEach
  void start() throws IOException {
    provider = ScriptedProvider.start();
    tokenFile =
        TestFiles.write(
            dir,
            "token",
            TestFiles.jwt(TOKEN_CANARY, Instant.parse("2030-01-01T00:00:00Z")) + "\n");
    target = dir.resolve("target");
  }

  @AfterEach
  void stop() throws IOException {
    provider.close();
  }

  @Test
  void successfulMountsPrintNoTokenSecretOrContent() throws IOException {
    provider.answer(
        response(List.of(file("db/password", 0600, FILE_CANARY)), version("secret/db", "v1")));

    Run inSecrets = run(withDefaults("--tokens-in-secrets", "--volume-attribute", "extra=1"));
    Run v15First = run(withDefaults(dir.resolve("t15"), "--driver-version", "v1.5"));
    Run v15Rotation = run(withDefaults(dir.resolve("t15"), "--driver-version", "v1.5"));

    assertThat(List.of(inSecrets.exit(), v15First.exit(), v15Rotation.exit()))
        .as(allOutput.toString())
        .containsOnly(0);
    assertThat(Files.readString(target.resolve("db/password"))).isEqualTo(FILE_CANARY);
    assertThat(inSecrets.out())
        .containsPattern("db/password +0600 +18")
        .containsPattern("secret/db +v1");
    // The canaries did reach the provider, so their absence from the output means something.
    MountRequest first = provider.requests().get(0);
    assertThat(first.getSecrets()).contains(TOKEN_CANARY, NPS_CANARY);
    assertThat(first.getAttributes()).contains(TOKEN_CANARY).doesNotContain(NPS_CANARY);
    assertThat(provider.lastRequest().getCurrentObjectVersionCount()).isEqualTo(1);
    assertNoCanaryPrinted();
  }

  @Test
  void failedMountsPrintNoTokenSecretOrContent() {
    provider.answer(Status.PERMISSION_DENIED.withDescription("role app may not read db"));
    Run status = run(withDefaults());
    provider.answer(errorCode("Forbidden"));
    Run code = run(withDefaults());
    provider.answer(
        response(
            List.of(file("ok", 0644, FILE_CANARY), file("../x", 0644, FILE_CANARY)),
            version("secret/a", "v1")));
    Run badPath = run(withDefaults());

    assertThat(List.of(status.exit(), code.exit(), badPath.exit())).containsOnly(1);
    assertThat(status.err())
        .contains("rpc error: code = PermissionDenied desc = role app may not read db");
    assertThat(code.err()).contains("provider error code Forbidden");
    assertThat(badPath.err()).contains("invalid path");
    assertNoCanaryPrinted();
  }

  @Test
  void manifestErrorsNameKeysButPrintNoValue() throws IOException {
    Path badSecret =
        TestFiles.write(
            dir,
            "bad-secret.yaml",
            "apiVersion: v1\nkind: Secret\ndata:\n  key: " + NPS_CANARY + "!\n");

    Run run =
        run(
            "mount",
            "--socket",
            provider.socket().toString(),
            "--spc",
            TestFiles.resource("spc-v1.yaml").toString(),
            "--target",
            target.toString(),
            "--namespace",
            "team-a",
            "--node-publish-secret",
            badSecret.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("data.key is not valid base64");
    assertThat(provider.requests()).isEmpty();
    assertNoCanaryPrinted();
  }

  @Test
  void showContentsPrintsTheFilesWhichProvesTheScanSeesTheOutput() {
    provider.answer(
        response(List.of(file("db/password", 0600, FILE_CANARY)), version("secret/db", "v1")));

    Run run = run(withDefaults("--show-contents"));

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("==> db/password <==\n" + FILE_CANARY + "\n");
    assertThat(allOutput.toString()).doesNotContain(TOKEN_CANARY, NPS_CANARY);
  }

  @Test
  void tokenGivenWithoutAnAudienceIsAUsageErrorThatDoesNotEchoIt() {
    Run run =
        run(
            "mount",
            "--socket",
            provider.socket().toString(),
            "--spc",
            TestFiles.resource("spc-v1.yaml").toString(),
            "--target",
            target.toString(),
            "--token",
            TestFiles.jwt(TOKEN_CANARY, null));

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--token expects AUDIENCE=FILE");
    assertNoCanaryPrinted();
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run("mount", "--spc", "x.yaml", "--target", "t").exit()).isEqualTo(2);
    assertThat(run(withDefaults("--driver-version", "v2")).exit()).isEqualTo(2);
    assertThat(run(withDefaults("--timeout", "soon")).exit()).isEqualTo(2);
    assertThat(run(withDefaults("--volume-attribute", "=x")).exit()).isEqualTo(2);
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void notInlineVolumeSendsEphemeralFalse() {
    provider.answer(response(List.of(file("a", 0644, "x")), version("secret/a", "v1")));

    assertThat(run(withDefaults("--no-ephemeral")).exit()).isZero();
    assertThat(run(withDefaults("--ephemeral=false")).exit()).isZero();

    assertThat(provider.requests())
        .allSatisfy(
            r ->
                assertThat(r.getAttributes())
                    .contains("\"csi.storage.k8s.io/ephemeral\":\"false\""));
  }

  // Helpers.

  private String[] withDefaults(String... extra) {
    return withDefaults(target, extra);
  }

  private String[] withDefaults(Path target, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "mount",
                "--socket",
                provider.socket().toString(),
                "--spc",
                TestFiles.resource("spc-v1.yaml").toString(),
                "--target",
                target.toString(),
                "--namespace",
                "team-a",
                "--pod-name",
                "web-0",
                "--service-account",
                "app",
                "--token",
                "vault=" + tokenFile,
                "--node-publish-secret",
                TestFiles.resource("node-publish-secret.yaml").toString(),
                "--timeout",
                "20s"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** Runs the command line, capturing its writers and the process's stdout and stderr. */
  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    int exit;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      exit = cli.execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    allOutput
        .append(out)
        .append(err)
        .append(stdout.toString(StandardCharsets.UTF_8))
        .append(stderr.toString(StandardCharsets.UTF_8));
    return new Run(exit, out.toString(), err.toString());
  }

  private void assertNoCanaryPrinted() {
    assertThat(allOutput).isNotEmpty();
    for (String canary : CANARIES) {
      assertThat(allOutput.toString())
          .as("output must not contain " + canary)
          .doesNotContain(canary);
    }
  }

  private record Run(int exit, String out, String err) {}
}
