// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorsTest {
  @TempDir Path dir;

  @Test
  void discoverFindsTheEmulatorsRegisteredOnTheClassPath() {
    assertThat(Emulators.discover()).extracting(CloudEmulator::name).contains("echo");
  }

  @Test
  void selectKeepsTheNamedOnesAndRefusesUnknownNamesListingTheAvailable() {
    List<CloudEmulator> all = Emulators.discover();

    assertThat(Emulators.select(all, List.of())).isEqualTo(all);
    assertThat(Emulators.select(all, List.of("echo")))
        .extracting(CloudEmulator::name)
        .containsExactly("echo");
    assertThatThrownBy(() -> Emulators.select(all, List.of("echo", "nimbus")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nimbus")
        .hasMessageContaining("available: [")
        .hasMessageContaining("echo");
  }

  @Test
  void aStartedEmulatorServesWhatItAdvertisesAndCountsItsCalls() throws Exception {
    EmulatorOptions options = EmulatorOptions.create(dir.resolve("ca.pem"));
    try (CloudEmulator echo = new EchoEmulator()) {
      echo.faults().inject("echo.get", Fault.error(503), 1);
      StartedEmulator started = echo.start(options);

      var throttled =
          TestClients.get(TestClients.plain(), started.endpoint("http").resolve("/echo/hi"));
      var answered =
          TestClients.get(
              TestClients.trusting(options.caFile()),
              started.endpoint("https").resolve("/echo/hi"));

      assertThat(throttled.statusCode()).isEqualTo(503);
      assertThat(answered.body()).isEqualTo("hi");
      assertThat(echo.calls().count("echo.get")).isEqualTo(2);
      assertThat(started.settings()).containsEntry("ECHO_CA_FILE", options.caFile().toString());
      assertThatThrownBy(() -> started.endpoint("grpc")).hasMessageContaining("[http, https]");
    }
  }

  @Test
  void portsComeFromTheEmulatorsProperties() throws Exception {
    EmulatorOptions options =
        EmulatorOptions.create(dir.resolve("ca.pem")).withProperty("echo.http-port", "8200");

    assertThat(options.server("echo").httpPort()).isEqualTo(8200);
    assertThat(options.server("echo").httpsPort()).isZero();
    assertThat(options.server("vault").httpPort()).isZero();
    assertThat(options.property("echo", "http-port")).hasValue("8200");
    assertThatThrownBy(() -> options.withProperty("echo.https-port", "x").server("echo"))
        .hasMessageContaining("echo.https-port");
  }
}
