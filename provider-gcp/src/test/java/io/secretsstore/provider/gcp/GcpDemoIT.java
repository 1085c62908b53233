// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.Emulators;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.gcp.GcpEmulator;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.kube.ServiceAccountAnnotations;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The emulator's demo: found by ServiceLoader, its serve flags parse into this backend's options,
 * and its SecretProviderClass mounts.
 */
class GcpDemoIT {
  @Test
  void demoFlagsAndSecretProviderClass_mount() throws Exception {
    assertThat(Emulators.discover()).extracting(e -> e.name()).contains("gcp");
    Path ca = Files.createTempFile("gcp-demo-ca", ".pem");
    try (GcpEmulator gcp = new GcpEmulator()) {
      StartedEmulator started = gcp.start(EmulatorOptions.create(ca));
      DemoScenario demo = gcp.demo(started).orElseThrow();
      GcpOptions options = new GcpOptions();
      new CommandLine(options).parseArgs(demo.serveFlags().toArray(String[]::new));
      GcpBackend backend =
          GcpBackend.start(
              options.settings(Map.of()),
              ServiceAccountAnnotations.TTL,
              new BackendContext(Clock.systemUTC(), new CredentialCache(Clock.systemUTC(), 10)));

      SecretProviderClassFile spc = SecretProviderClassFile.parse(demo.secretProviderClass());
      assertThat(spc.provider()).isEqualTo("gcp");
      Map<String, String> attributes = new LinkedHashMap<>(spc.parameters());
      attributes.put("csi.storage.k8s.io/pod.name", "app-0");
      attributes.put("csi.storage.k8s.io/pod.namespace", demo.namespace());
      attributes.put("csi.storage.k8s.io/pod.uid", "0b7c3e52-9f0e-4c1a-8d4b-3f2a1e0c9d8b");
      attributes.put("csi.storage.k8s.io/serviceAccount.name", demo.serviceAccount());
      Map<String, Object> tokens = new LinkedHashMap<>();
      demo.tokensByAudience()
          .forEach(
              (audience, token) ->
                  tokens.put(
                      audience,
                      Map.of(
                          "token",
                          token,
                          "expirationTimestamp",
                          Instant.now().plusSeconds(3600).toString())));
      attributes.put("csi.storage.k8s.io/serviceAccount.tokens", GcpTestBed.json(tokens));
      try (backend;
          ProviderFixture provider = ProviderFixture.start(backend, ProviderFixture.FAST)) {
        MountReply reply = provider.mount(GcpTestBed.call(attributes));
        assertThat(reply.files())
            .extracting(MountReply.ReturnedFile::path)
            .containsExactly("db.json", "db-password", "api-key");
        assertThat(ProviderFixture.text(reply, 0)).contains("\"username\":\"app\"");
        assertThat(reply.files().get(1).mode()).isEqualTo(0400);
        assertThat(gcp.calls().count("gcp.iamcredentials.generateAccessToken"))
            .as("the demo impersonates")
            .isEqualTo(1);
      }
    } finally {
      Files.deleteIfExists(ca);
    }
  }
}
