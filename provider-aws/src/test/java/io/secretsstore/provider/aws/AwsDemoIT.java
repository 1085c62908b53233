// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.emulators.DemoScenario;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.aws.AwsEmulator;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.kube.ServiceAccountAnnotations;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * The emulator's demo: its serve flags parse into this backend's options and its
 * SecretProviderClass mounts.
 */
class AwsDemoIT {
  @Test
  void demoFlagsAndSecretProviderClass_mount() throws Exception {
    Path ca = Files.createTempFile("aws-demo-ca", ".pem");
    try (AwsEmulator aws = new AwsEmulator()) {
      StartedEmulator started = aws.start(EmulatorOptions.create(ca));
      DemoScenario demo = aws.demo(started).orElseThrow();
      AwsOptions options = new AwsOptions();
      new CommandLine(options).parseArgs(demo.serveFlags().toArray(String[]::new));
      AwsBackend backend =
          AwsBackend.start(
              options.settings(Map.of()),
              ServiceAccountAnnotations.TTL,
              new BackendContext(Clock.systemUTC(), new CredentialCache(Clock.systemUTC(), 10)));

      Map<?, ?> spc =
          (Map<?, ?>)
              new Load(LoadSettings.builder().build()).loadFromString(demo.secretProviderClass());
      @SuppressWarnings("unchecked")
      Map<String, String> parameters =
          (Map<String, String>) ((Map<?, ?>) spc.get("spec")).get("parameters");
      Map<String, String> attributes = new LinkedHashMap<>(parameters);
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
      attributes.put("csi.storage.k8s.io/serviceAccount.tokens", AwsTestBed.json(tokens));
      try (backend;
          ProviderFixture provider = ProviderFixture.start(backend, AwsTestBed.FAST)) {
        MountReply reply =
            provider.client().mount(AwsTestBed.call(attributes), Duration.ofSeconds(30));
        assertThat(reply.files())
            .extracting(MountReply.ReturnedFile::path)
            .containsExactly("demo_db", "db-username", "db-password", "_demo_api-key");
        assertThat(
                new String(
                    reply.files().get(1).contents(), java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo("app");
      }
    } finally {
      Files.deleteIfExists(ca);
    }
  }
}
