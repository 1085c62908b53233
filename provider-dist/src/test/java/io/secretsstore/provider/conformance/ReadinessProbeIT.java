// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ServeProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Readiness with a probe identity ({@code serve --readiness-probe-spc}): the real process mounts a
 * SecretProviderClass as the canary pod's identity against the Vault emulator, so readiness follows
 * whether that identity can read, not only whether Vault answers its health endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadinessProbeIT {
  private static final CaseBook BOOK = new VaultCases();
  private ProviderUnderTest provider;

  @BeforeAll
  void start() throws Exception {
    provider = ProviderUnderTest.start(BOOK, ChecklistSuite.NO_BACKGROUND_POLLS);
    BOOK.put(provider.emulator, "one", Canaries.SECRET + "-one");
  }

  @AfterAll
  void stop() throws Exception {
    provider.close();
  }

  @Test
  void readiness_mountsAsTheProbeIdentity_andFailsWhileItsReadIsDenied_orItsTokenIsAnotherServiceAccounts() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "rp");
    try {
      String podToken = BOOK.token(provider.emulator, CaseBook.NAMESPACE, CaseBook.SERVICE_ACCOUNT);
      String intruderToken = BOOK.token(provider.emulator, CaseBook.NAMESPACE, "intruder");
      Path token = Files.writeString(dir.resolve("token"), podToken);
      Path spc = Files.writeString(dir.resolve("spc.yaml"), secretProviderClass());
      Files.createDirectories(dir.resolve("sockets"));
      List<String> bodies = new ArrayList<>();
      try (ServeProcess process = ServeProcesses.start(provider, dir.resolve("sockets"), "--readiness-probe-spc", spc.toString(),
          "--readiness-probe-service-account", CaseBook.SERVICE_ACCOUNT, "--readiness-probe-token", BOOK.audience() + "=" + token,
          "--readiness-probe-interval", "1s")) {
        long readsBefore = provider.calls(BOOK.readOperation());
        bodies.add(awaitReadiness(process, 200).body());
        assertThat(provider.calls(BOOK.readOperation())).as("the probe reads as its identity").isGreaterThan(readsBefore);

        provider.emulator.faults().inject(BOOK.readOperation(), Fault.error(403));
        HttpResponse<String> denied = awaitReadiness(process, 503);
        bodies.add(denied.body());
        assertThat(denied.body()).contains("readiness probe identity").contains("PERMISSION_DENIED");
        assertThat(ServeProcesses.httpStatus(process.healthPort(), "/livez")).as("liveness ignores the backend").isEqualTo(200);

        provider.emulator.faults().clear();
        bodies.add(awaitReadiness(process, 200).body());

        // kubelet rotates the projected token in place; the probe reads the file each time.
        Files.writeString(token, intruderToken);
        HttpResponse<String> foreign = awaitReadiness(process, 503);
        bodies.add(foreign.body());
        assertThat(foreign.body()).contains("readiness probe identity").contains("UNAUTHENTICATED");

        assertThat(process.terminate(Duration.ofSeconds(30))).isIn(0, 143);
        String[] canaries = Stream.concat(Stream.of(provider.canaries()), Stream.of(podToken, intruderToken)).toArray(String[]::new);
        LogCapture.assertNoCanaryIn(process.output(), canaries);
        LogCapture.assertNoCanaryIn(String.join("\n", bodies), canaries);
      }
    } finally {
      ServeProcesses.deleteTree(dir);
    }
  }

  private String secretProviderClass() {
    String objects = BOOK.objects(BOOK.object("one")).indent(6);
    return """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata:
          name: readiness-probe
          namespace: %s
        spec:
          provider: vault
          parameters:
            roleName: app
            objects: |
        %s""".formatted(CaseBook.NAMESPACE, objects);
  }

  /** Polls {@code /readyz} until it answers {@code status}, for at most 30 s. */
  private static HttpResponse<String> awaitReadiness(ServeProcess process, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> response = ServeProcesses.httpGet(process.healthPort(), "/readyz");
    while (response.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(200);
      response = ServeProcesses.httpGet(process.healthPort(), "/readyz");
    }
    assertThat(response.statusCode()).as("/readyz: %s", response.body()).isEqualTo(status);
    return response;
  }
}
