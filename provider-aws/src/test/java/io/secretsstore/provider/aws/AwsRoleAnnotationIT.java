// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static io.secretsstore.provider.aws.AwsTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.KubeRequests;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The role ARN from the service account's {@code eks.amazonaws.com/role-arn} annotation, read by
 * name once per TTL: repeated mounts cost no further Kubernetes request, nothing lists or watches
 * service accounts, a missing annotation fails with upstream's message, and an annotation added
 * later is used once the TTL has passed.
 */
class AwsRoleAnnotationIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TTL = Duration.ofSeconds(3);
  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void annotation_givesTheRole_withOneGetPerTtl_notOnePerMount() throws Exception {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    try (AwsTestBed bed = new AwsTestBed();
        KubernetesClient kube = server.createClient()) {
      bed.aws.putSecret(AwsTestBed.REGION, "app/db", Canaries.SECRET);
      kube.serviceAccounts()
          .inNamespace(AwsTestBed.NAMESPACE)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("app")
                  .withNamespace(AwsTestBed.NAMESPACE)
                  .addToAnnotations(RoleArns.ANNOTATION, AwsTestBed.ROLE)
                  .endMetadata()
                  .build())
          .create();
      kube.serviceAccounts()
          .inNamespace(AwsTestBed.NAMESPACE)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("plain")
                  .withNamespace(AwsTestBed.NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
      AwsSettings base = bed.settings();
      AwsBackend backend =
          AwsBackend.start(
              base.withRoleArnFor(Map.of()),
              TTL,
              new BackendContext(Clock.systemUTC(), new CredentialCache(Clock.systemUTC(), 100))
                  .withKube(SharedKubeClient.of(kube)));
      try (backend;
          ProviderFixture provider = ProviderFixture.start(backend, AwsTestBed.FAST)) {
        String objects = "- {objectName: app/db, objectType: secretsmanager}";
        KubeRequests.takeGets(server);
        long started = System.nanoTime();
        for (int i = 0; i < 6; i++) {
          assertThat(
                  new String(
                      provider
                          .client()
                          .mount(call(bed.attributes(objects)), TIMEOUT)
                          .files()
                          .get(0)
                          .contents(),
                      StandardCharsets.UTF_8))
              .isEqualTo(Canaries.SECRET);
        }
        long ttlsPassed = Duration.ofNanos(System.nanoTime() - started).toMillis() / TTL.toMillis();
        assertThat(KubeRequests.takeGets(server))
            .as("one GET by name per TTL, not one per mount; no list, no watch")
            .allMatch(path -> path.equals("/api/v1/namespaces/team-a/serviceaccounts/app"))
            .hasSizeBetween(1, (int) Math.min(6, 1 + ttlsPassed));

        Map<String, String> plain = bed.attributesOf("plain", objects);
        assertThatThrownBy(() -> provider.client().mount(call(plain), TIMEOUT))
            .isInstanceOfSatisfying(
                ProviderCallException.class,
                e -> {
                  assertThat(e.code()).isEqualTo("FAILED_PRECONDITION");
                  assertThat(e.description())
                      .contains("An IAM role must be associated with service account team-a/plain");
                });

        // An annotation added later is read once the TTL has passed (the role trusts the plain
        // account too, so the mount then succeeds).
        bed.aws.addRole(
            AwsTestBed.ROLE,
            Logins.IRSA_AUDIENCE,
            "system:serviceaccount:" + AwsTestBed.NAMESPACE + ":plain");
        kube.serviceAccounts()
            .inNamespace(AwsTestBed.NAMESPACE)
            .withName("plain")
            .edit(
                sa ->
                    new ServiceAccountBuilder(sa)
                        .editMetadata()
                        .addToAnnotations(RoleArns.ANNOTATION, AwsTestBed.ROLE)
                        .endMetadata()
                        .build());
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .ignoreException(ProviderCallException.class)
            .untilAsserted(
                () -> assertThat(provider.client().mount(call(plain), TIMEOUT).files()).hasSize(1));
      }
    } finally {
      server.destroy();
    }
    logs.assertNoCanary(Canaries.all());
  }
}
