// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static io.secretsstore.provider.azure.AzureTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.emulators.azure.AzureEmulator;
import io.secretsstore.provider.emulators.azure.CertificateChain;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SecretProviderClasses in the shape of upstream's documentation examples (comments, quoting and
 * all, with names of the emulator's vault) go through the driver's SecretProviderClass parsing
 * unchanged and mount.
 */
class AzureUpstreamExamplesIT {
  private static AzureTestBed bed;
  private static ProviderFixture provider;
  private static CertificateChain chain;
  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void start() throws Exception {
    bed = new AzureTestBed();
    bed.azure.setSecret(AzureTestBed.VAULT, "secret1", "old");
    bed.azure.setSecret(AzureTestBed.VAULT, "secret1", Canaries.SECRET);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    bed.azure.setKey(AzureTestBed.VAULT, "key1", generator.generateKeyPair().getPublic());
    chain = CertificateChain.generate("upstream.example", "RSA", 1);
    bed.azure.importCertificate(
        AzureTestBed.VAULT, "cert1", chain, chain.certificates(), AzureEmulator.PKCS12);
    provider = bed.provider(bed.settings().withServicePrincipal(true));
  }

  @AfterAll
  static void stop() throws Exception {
    bed.close();
  }

  @AfterEach
  void scan() {
    logs.assertNoCanary(bed.secrets());
  }

  private static Map<String, String> attributes(String fixture) throws IOException {
    String yaml;
    try (InputStream in =
        AzureUpstreamExamplesIT.class.getResourceAsStream("/upstream-examples/" + fixture)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> attributes =
        new LinkedHashMap<>(
            bed.attributes(
                "", "objects", null, "keyvaultName", null, "tenantId", null, "clientID", null));
    attributes.putAll(SecretProviderClassFile.parse(yaml).parameters());
    return attributes;
  }

  private static Map<String, String> files(MountReply reply) {
    Map<String, String> files = new LinkedHashMap<>();
    reply
        .files()
        .forEach(f -> files.put(f.path(), new String(f.contents(), StandardCharsets.UTF_8)));
    return files;
  }

  @Test
  void workloadIdentityExample_mounts() throws Exception {
    MountReply reply = provider.mount(call(attributes("workload-identity.yaml")));
    assertThat(files(reply)).containsOnlyKeys("secret1", "key1");
    assertThat(files(reply).get("secret1")).isEqualTo(Canaries.SECRET);
    assertThat(files(reply).get("key1")).startsWith("-----BEGIN PUBLIC KEY-----\n");
  }

  @Test
  void servicePrincipalExample_mountsWithNodePublishSecretRef() throws Exception {
    String secrets =
        AzureTestBed.json(
            Map.of("clientid", AzureTestBed.CLIENT_ID, "clientsecret", Canaries.NODE_PUBLISH));
    MountReply reply = provider.mount(call(attributes("service-principal.yaml"), secrets));
    assertThat(files(reply)).containsOnlyKeys("SECRET_1", "key1");
    assertThat(files(reply).get("SECRET_1")).isEqualTo(Canaries.SECRET);
  }

  @Test
  void certificatesExample_mountsEveryView() throws Exception {
    MountReply reply = provider.mount(call(attributes("certificates.yaml")));
    Map<String, String> files = files(reply);
    assertThat(files)
        .containsOnlyKeys(
            "cert1-secret", "cert1-key", "cert1-cert", "cert1.pfx", "secret1/0", "secret1/1");
    assertThat(files.get("cert1-secret")).isEqualTo(chain.pem(chain.certificates()));
    assertThat(files.get("cert1-cert"))
        .isEqualTo(CertificateChain.certificatesPem(java.util.List.of(chain.leaf())));
    assertThat(files.get("secret1/0")).isEqualTo(Canaries.SECRET);
    assertThat(files.get("secret1/1")).isEqualTo("old");
    assertThat(
            reply.files().stream()
                .filter(f -> f.path().startsWith("secret1/"))
                .map(MountReply.ReturnedFile::mode))
        .containsOnly(0755);
    assertThat(reply.versions())
        .extracting(v -> v.id())
        .containsExactly(
            "secret/cert1",
            "key/cert1",
            "cert/cert1",
            "secret/cert1@cert1.pfx",
            "secret/secret1/0",
            "secret/secret1/1");
  }
}
