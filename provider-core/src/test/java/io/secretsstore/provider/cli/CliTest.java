// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.ProviderVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void version_printsTheSemver() {
    assertThat(run("version")).isZero();
    assertThat(out.toString()).contains("secrets-store-provider " + ProviderVersion.get());
    assertThat(ProviderVersion.get()).matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void sync_acceptsTheFlagsTheChartPasses() {
    CommandLine.ParseResult parsed =
        Main.commandLine()
            .parseArgs(
                "sync",
                "--backend",
                "test",
                "--leader-elect",
                "--leader-election-namespace=csi",
                "--health-addr=:8080",
                "--metrics-addr=:8095",
                "--log-format=json",
                "--log-level=info",
                "--config=/etc/secrets-store-provider/config.yaml",
                "--rotation-poll-interval=1h",
                "--token-request-audience=a,b");
    assertThat(parsed.subcommand().errors()).isEmpty();
    assertThat(
            parsed.subcommand().matchedOptionValue("--token-request-audience", java.util.List.of()))
        .containsExactly("a", "b");
    assertThat(parsed.subcommand().hasMatchedOption("--leader-elect")).isTrue();
  }

  @Test
  void sync_backendWithoutAFixedAudience_failsNamingTheFlag() {
    assertThat(
            run(
                "sync",
                "--backend",
                "test",
                "--health-addr",
                "",
                "--metrics-addr",
                "",
                "--audit-log",
                ""))
        .isNotZero();
    assertThat(err.toString())
        .startsWith("error: --token-request-audience is required for backend test");
  }

  @Test
  void serve_unknownBackend_failsListingTheAvailableOnes() {
    assertThat(
            run(
                "serve",
                "--backend",
                "nope",
                "--socket-dir",
                "/tmp",
                "--health-addr",
                "",
                "--metrics-addr",
                ""))
        .isNotZero();
    assertThat(err.toString())
        .startsWith("error: no backend named \"nope\"")
        .contains("test")
        .doesNotContain("\tat ");
  }

  @Test
  void serve_badProviderName_failsBeforeBinding() {
    assertThat(
            run(
                "serve",
                "--backend",
                "test",
                "--provider-name",
                "../x",
                "--socket-dir",
                "/tmp",
                "--health-addr",
                "",
                "--metrics-addr",
                ""))
        .isNotZero();
    assertThat(err.toString()).contains("^[a-zA-Z0-9_-]{1,30}$");
  }

  @Test
  void serve_readinessProbeTokenWithoutItsSecretProviderClass_failsNamingTheFlags() {
    Path socketDir = newDirectory();
    assertThat(
            run(
                "serve",
                "--backend",
                "test",
                "--socket-dir",
                socketDir.toString(),
                "--health-addr",
                "",
                "--metrics-addr",
                "",
                "--readiness-probe-token",
                "vault=/nonexistent"))
        .isNotZero();
    assertThat(err.toString()).contains("--readiness-probe-token needs --readiness-probe-spc");
  }

  @Test
  void serve_readinessProbeSpcWithoutANamespace_failsBeforeBinding() throws Exception {
    Path socketDir = newDirectory();
    Path spc =
        Files.writeString(
            socketDir.resolve("spc.yaml"),
            String.join(
                "\n",
                "apiVersion: secrets-store.csi.x-k8s.io/v1",
                "kind: SecretProviderClass",
                "metadata:",
                "  name: probe",
                "spec:",
                "  provider: test",
                "  parameters:",
                "    objects: '[]'",
                ""));
    assertThat(
            run(
                "serve",
                "--backend",
                "test",
                "--socket-dir",
                socketDir.toString(),
                "--health-addr",
                "",
                "--metrics-addr",
                "",
                "--readiness-probe-spc",
                spc.toString()))
        .isNotZero();
    assertThat(err.toString()).contains("--readiness-probe-spc").contains("metadata.namespace");
    assertThat(Files.exists(socketDir.resolve("test.sock"))).isFalse();
  }

  private static Path newDirectory() {
    try {
      return Files.createTempDirectory(Path.of("/tmp"), "cli");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void serve_withoutBackend_isAUsageError() {
    assertThat(run("serve")).isEqualTo(2);
    assertThat(err.toString()).contains("--backend");
  }

  @Test
  void durationConverter_readsOperatorUnits() {
    DurationConverter converter = new DurationConverter();
    assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> converter.convert("soon"))
        .isInstanceOf(CommandLine.TypeConversionException.class);
  }

  @Test
  void hostPort_readsGoStyleAddresses() {
    assertThat(HostPort.parse(":8080", "--x").getPort()).isEqualTo(8080);
    assertThat(HostPort.parse("127.0.0.1:0", "--x").getHostString()).isEqualTo("127.0.0.1");
    assertThat(HostPort.parse("", "--x")).isNull();
    assertThatThrownBy(() -> HostPort.parse("8080", "--x")).hasMessageContaining("--x");
    assertThatThrownBy(() -> HostPort.parse(":99999", "--x")).hasMessageContaining("port");
  }
}
