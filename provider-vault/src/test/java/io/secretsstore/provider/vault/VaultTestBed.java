// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.emulators.EmulatorOptions;
import io.secretsstore.provider.emulators.StartedEmulator;
import io.secretsstore.provider.emulators.vault.VaultEmulator;
import io.secretsstore.provider.emulators.vault.VaultRole;
import io.secretsstore.provider.fetch.EngineSettings;
import io.secretsstore.provider.grpc.ProviderClient;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ProviderFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The world a Vault mount runs in for integration tests: the Vault emulator (HTTP and HTTPS), a
 * CRUD-mode Kubernetes mock server for the HMAC key Secret, a role {@code app} bound to the canary
 * pod's service account, and helpers to build driver attributes with a real pod JWT.
 */
final class VaultTestBed implements AutoCloseable {
  static final String POD_NAMESPACE = "team-a";
  static final String PROVIDER_NAMESPACE = "vault-csi";
  static final String ROLE = "app";
  private static final JsonMapper JSON = JsonMapper.shared();

  /** The shared fast engine of backend integration tests. */
  static final EngineSettings FAST = ProviderFixture.FAST;

  final VaultEmulator vault = new VaultEmulator();
  final StartedEmulator started;
  final KubernetesMockServer kubeServer;
  final KubernetesClient kube;
  final Path caFile;

  VaultTestBed() throws IOException {
    this(false);
  }

  /** A bed whose HTTPS endpoint demands a client certificate when {@code mutualTls}. */
  VaultTestBed(boolean mutualTls) throws IOException {
    caFile = Files.createTempFile("vault-ca", ".pem");
    vault.requireClientCertificates(mutualTls);
    started = vault.start(EmulatorOptions.create(caFile));
    kubeServer =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new java.util.HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    kubeServer.init();
    kube = kubeServer.createClient();
    vault.addRole(
        "",
        "kubernetes",
        new VaultRole(
            ROLE,
            List.of("app"),
            List.of(POD_NAMESPACE),
            "vault",
            List.of("secret/", "kv1/", "pki/", "database/"),
            Duration.ofHours(1)));
  }

  String httpAddress() {
    return started.endpoint("http").toString();
  }

  String httpsAddress() {
    return started.endpoint("https").toString();
  }

  /** Settings for the plain-HTTP endpoint with the HMAC Secret in the provider namespace. */
  VaultSettings settings() {
    return VaultSettings.forAddress(httpAddress()).withHmacNamespace(PROVIDER_NAMESPACE);
  }

  /** A started backend sharing this bed's Kubernetes. */
  VaultBackend backend(VaultSettings settings, Clock clock) {
    return VaultBackend.start(
        settings,
        new BackendContext(clock, new CredentialCache(clock, 1000))
            .withKube(kube == null ? SharedKubeClient.none() : SharedKubeClient.of(kube)));
  }

  VaultBackend backend(VaultSettings settings) {
    return backend(settings, Clock.systemUTC());
  }

  /** A real JWT of the pod's service account for an audience, valid for an hour. */
  String jwt(String serviceAccount, String audience) {
    return vault.mintServiceAccountToken(
        POD_NAMESPACE, serviceAccount, audience, Duration.ofHours(1));
  }

  /** The driver's attributes for the canary pod (service account {@code app}) with a real token. */
  Map<String, String> attributes(String objects) {
    return attributes("app", objects);
  }

  Map<String, String> attributes(String serviceAccount, String objects) {
    Map<String, String> attributes = new LinkedHashMap<>(Canaries.podAttributes());
    attributes.put("csi.storage.k8s.io/serviceAccount.name", serviceAccount);
    attributes.put(
        "csi.storage.k8s.io/serviceAccount.tokens", tokens("vault", jwt(serviceAccount, "vault")));
    attributes.put("roleName", ROLE);
    attributes.put("objects", objects);
    return attributes;
  }

  static String tokens(String audience, String token) {
    return json(
        Map.of(
            audience,
            Map.of(
                "token",
                token,
                "expirationTimestamp",
                Instant.now().plusSeconds(3600).toString())));
  }

  static String json(Object value) {
    return JSON.writeValueAsString(value);
  }

  static ProviderClient.MountCall call(Map<String, String> attributes) {
    return call(attributes, "420");
  }

  static ProviderClient.MountCall call(Map<String, String> attributes, String permission) {
    return new ProviderClient.MountCall(
        json(attributes),
        "null",
        "/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/v/mount",
        permission,
        List.of());
  }

  @Override
  public void close() throws IOException {
    vault.close();
    kube.close();
    kubeServer.destroy();
    Files.deleteIfExists(caFile);
  }

  /**
   * An expectation API server (the caller destroys it) that holds the provider's HMAC key Secret,
   * as the chart creates it.
   */
  static KubernetesMockServer apiServerWithHmacKey() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/vault-csi/secrets/vault-csi-provider-hmac-key")
        .andReturn(
            200,
            new SecretBuilder()
                .withNewMetadata()
                .withName("vault-csi-provider-hmac-key")
                .endMetadata()
                .withData(Map.of("key", Base64.getEncoder().encodeToString(new byte[32])))
                .build())
        .always();
    return server;
  }
}
