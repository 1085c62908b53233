// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.testing.ProviderFixture;
import io.secretsstore.provider.testing.TestBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Every message an operator meets first: help, bad flags, ports in use, no cluster, the wrong
 * socket.
 */
class OperatorMessagesIT {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @ParameterizedTest(name = "{0} --help exits 0")
  @CsvSource({"serve", "sync", "mount", "conformance"})
  void help_exitsZero_andListsTheFlags(String command) {
    assertThat(run(command, "--help")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Usage:").doesNotContain("Missing required option");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void serveHelp_namesTheReadinessFlag() {
    assertThat(run("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--readiness-includes-backend");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--endpoint-concurrency|0|--endpoint-concurrency must be between 1 and 10000",
        "--backend-max-attempts|0|--backend-max-attempts must be between 1 and 10000",
        "--circuit-failures|0|--circuit-failures must be between 1 and 10000",
        "--fetch-concurrency|0|--fetch-concurrency must be at least 1",
        "--max-objects|0|--max-objects must be at least 1",
        "--cache-max-bytes|0|--cache-max-bytes must be at least 1",
        "--cache-max-entries|0|--cache-max-entries must be at least 1",
        "--cache-freshness|1m|--cache-freshness must be longer than --rotation-poll-interval plus --rotation-poll-jitter",
        "--cache-idle|0s|--cache-idle must be longer than 0s",
        "--mount-timeout|0s|--mount-timeout must be longer than 0s",
        "--circuit-open|0s|--circuit-open must be longer than 0s",
        "--grpc-threads|0|--grpc-threads must be at least 1",
        "--drain-timeout|-1s|--drain-timeout must be a duration such as 500ms, 90s, 2m or 1h",
        "--log-level|loud|--log-level must be one of trace, debug, info, warn or error",
        "--max-objects|s3cr3t|--max-objects must be a whole number",
        "--mount-timeout|s3cr3t|--mount-timeout must be a duration such as 500ms, 90s, 2m or 1h",
      })
  void serve_aBadSetting_failsInOneLineNamingItsFlag(String flag, String value, String message) {
    assertThat(
            run(
                "serve",
                "--backend",
                "test",
                "--socket-dir",
                dir.toString(),
                "--health-addr",
                "",
                "--metrics-addr",
                "",
                "--audit-log",
                "",
                flag,
                value))
        .isEqualTo(1);
    assertThat(err.toString()).isEqualTo("error: " + message + System.lineSeparator());
    assertThat(Files.exists(dir.resolve("test.sock"))).as("nothing was served").isFalse();
  }

  @Test
  void serve_anAuditLogThatCannotBeOpened_namesTheFlag() {
    String destination = dir.resolve("missing-directory/audit.jsonl").toString();
    assertThat(
            run(
                "serve",
                "--backend",
                "test",
                "--socket-dir",
                dir.toString(),
                "--health-addr",
                "",
                "--metrics-addr",
                "",
                "--audit-log",
                destination))
        .isEqualTo(1);
    assertThat(err.toString())
        .startsWith("error: --audit-log " + destination + ": cannot open it (NoSuchFileException)")
        .doesNotContain("unexpected failure");
  }

  @Test
  void serve_aFingerprintSecretOutsideAPod_namesTheNamespaceFlag() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        Files.exists(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace")),
        "runs outside a pod only");
    assertThat(
            run(
                "serve",
                "--backend",
                "test",
                "--socket-dir",
                dir.toString(),
                "--health-addr",
                "",
                "--metrics-addr",
                "",
                "--fingerprint-secret-name",
                "key"))
        .isEqualTo(1);
    assertThat(err.toString())
        .startsWith(
            "error: --fingerprint-secret-name needs --fingerprint-secret-namespace outside a pod");
  }

  @Test
  void serve_metricsAddressInUse_namesTheAddressAndTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      assertThat(
              run(
                  "serve",
                  "--backend",
                  "test",
                  "--socket-dir",
                  dir.toString(),
                  "--health-addr",
                  "",
                  "--metrics-addr",
                  address,
                  "--audit-log",
                  ""))
          .isEqualTo(1);
      assertThat(err.toString())
          .startsWith(
              "error: --metrics-addr " + address + ": cannot listen there (Address already in use)")
          .contains("choose another address with --metrics-addr")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void serve_healthAddressInUse_namesTheAddressAndTheFlag_andExits() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      Process serve =
          java(
              List.of(
                  "serve",
                  "--backend",
                  "test",
                  "--socket-dir",
                  dir.toString(),
                  "--health-addr",
                  address,
                  "--metrics-addr",
                  "",
                  "--audit-log",
                  "",
                  "--log-format",
                  "text"),
              Map.of());
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve exits").isTrue();
      String output = new String(serve.getInputStream().readAllBytes());
      assertThat(serve.exitValue()).as(output).isEqualTo(1);
      assertThat(output)
          .contains(
              "error: --health-addr " + address + ": cannot listen there (Address already in use)");
    }
  }

  @Test
  void sync_withoutACluster_failsInOneLineSayingWhereItLooked() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    long start = System.nanoTime();
    Process sync = java(syncArgs(), Map.of("HOME", home.toString()));
    assertThat(sync.waitFor(60, TimeUnit.SECONDS)).isTrue();
    long millis = (System.nanoTime() - start) / 1_000_000;
    String output = new String(sync.getInputStream().readAllBytes()).strip();
    assertThat(sync.exitValue()).as(output).isEqualTo(1);
    assertThat(output.lines().filter(line -> line.startsWith("error:")).toList())
        .as(output)
        .containsExactly(
            "error: no Kubernetes cluster: KUBECONFIG is not set, "
                + home.resolve(".kube/config")
                + " does not exist, and KUBERNETES_SERVICE_HOST is not set (not running in a pod)");
    assertThat(output).doesNotContain("unexpected failure").doesNotContain("\tat ");
    System.out.println(
        "sync without a cluster exited after " + millis + " ms (JVM start included)");
  }

  @Test
  void sync_withAnUnreachableCluster_failsInOneLineNamingTheServerAndTheKubeconfig()
      throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Path kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            String.join(
                "\n",
                "apiVersion: v1",
                "kind: Config",
                "current-context: c",
                "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:" + closedPort + "'}}]",
                "contexts: [{name: c, context: {cluster: c, user: u}}]",
                "users: [{name: u, user: {token: not-a-real-token}}]",
                ""));
    Process sync =
        java(syncArgs(), Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString()));
    assertThat(sync.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(sync.getInputStream().readAllBytes()).strip();
    assertThat(sync.exitValue()).as(output).isEqualTo(1);
    assertThat(output)
        .contains(
            "error: cannot reach the Kubernetes API server at https://127.0.0.1:" + closedPort)
        .contains("(found through kubeconfig " + kubeconfig + " (KUBECONFIG))")
        .doesNotContain("not-a-real-token")
        .doesNotContain("\tat ");
  }

  @Test
  void mount_whenSpecProviderIsNotTheSocketsName_warns() throws Exception {
    try (ProviderFixture provider = ProviderFixture.start(new TestBackend())) {
      Path spc = spc("vault", "[{\"name\": \"a\", \"content\": \"x\"}]");
      // The mount itself fails (no token for the test backend's audience); the warning comes first.
      run(
          "mount",
          "--socket",
          provider.socket().toString(),
          "--spc",
          spc.toString(),
          "--target",
          dir.resolve("target").toString());
      assertThat(err.toString())
          .contains(
              "warning: spec.provider is \"vault\" but the socket is "
                  + provider.socket().getFileName()
                  + ": in a cluster the driver sends this SecretProviderClass to vault.sock");
    }
  }

  @Test
  void conformance_aMountThatFails_isOnePreconditionReportedOnce() throws Exception {
    try (ProviderFixture provider = ProviderFixture.start(new TestBackend())) {
      Path spc = spc("test", "[]");
      assertThat(
              run("conformance", "--socket", provider.socket().toString(), "--spc", spc.toString()))
          .isEqualTo(1);
      String report = out.toString();
      assertThat(report.split("UNAUTHENTICATED", -1)).as("the cause once: %s", report).hasSize(2);
      assertThat(report.split("precondition failed: ", -1)).as(report).hasSize(2);
      assertThat(report)
          .contains("precondition failed: the mount of the given SecretProviderClass failed")
          .contains(", 1 precondition failed")
          .containsPattern(" 0 failed, 12 skipped");
    }
  }

  /**
   * A SecretProviderClass of namespace default for the provider, with the test backend's objects.
   */
  private Path spc(String provider, String objects) throws IOException {
    return Files.writeString(
        dir.resolve("spc.yaml"),
        String.join(
            "\n",
            "apiVersion: secrets-store.csi.x-k8s.io/v1",
            "kind: SecretProviderClass",
            "metadata: {name: app, namespace: default}",
            "spec:",
            "  provider: " + provider,
            "  parameters:",
            "    objects: '" + objects + "'",
            ""));
  }

  private List<String> syncArgs() {
    return List.of(
        "sync",
        "--backend",
        "test",
        "--token-request-audience",
        "a",
        "--health-addr",
        "",
        "--metrics-addr",
        "",
        "--audit-log",
        "",
        "--log-format",
        "text");
  }

  /**
   * The executable in a JVM of its own, with these environment variables (HOME also as user.home)
   * and no cluster settings.
   */
  private static Process java(List<String> args, Map<String, String> env) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path")));
    if (env.containsKey("HOME")) {
      // The JVM takes user.home from the password database, not from HOME.
      command.add("-Duser.home=" + env.get("HOME"));
    }
    command.add("io.secretsstore.provider.cli.Main");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("KUBECONFIG");
    builder.environment().remove("KUBERNETES_SERVICE_HOST");
    builder.environment().putAll(env);
    return builder.start();
  }
}
