// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import static io.secretsstore.provider.gcp.GcpTestBed.PROJECT;
import static io.secretsstore.provider.gcp.GcpTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.emulators.gcp.GcpEmulator;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.KubeRequests;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Google service account from the {@code iam.gke.io/gcp-service-account} annotation (and the
 * delegation chain from {@code -delegates}), read by name once per TTL: repeated mounts cost no
 * further Kubernetes request and nothing lists or watches service accounts, an account without the
 * annotation uses its federated token directly, and an annotation added later is used once the TTL
 * has passed.
 */
class GcpServiceAccountAnnotationIT {
  private static final String DELEGATE =
      "delegate@" + GcpEmulator.PROJECT + ".iam.gserviceaccount.com";
  private static final String TARGET = "target@" + GcpEmulator.PROJECT + ".iam.gserviceaccount.com";
  private static final Duration TTL = Duration.ofSeconds(3);
  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void annotationAndDelegates_withOneGetPerTtl_notOnePerMount() throws Exception {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    try (GcpTestBed bed = new GcpTestBed();
        KubernetesClient kube = server.createClient()) {
      // team-a/app -> delegate -> target, which alone may read gsa-chained.
      bed.gcp.addServiceAccount(DELEGATE);
      bed.gcp.addServiceAccount(TARGET);
      bed.gcp.allowImpersonation(DELEGATE, bed.gcp.workloadMember(GcpTestBed.NAMESPACE, "app"));
      bed.gcp.allowImpersonation(TARGET, GcpEmulator.serviceAccountMember(DELEGATE));
      bed.gcp.grant(GcpEmulator.serviceAccountMember(TARGET), PROJECT + "/secrets/chained");
      bed.gcp.addVersion(PROJECT + "/secrets/chained", Canaries.SECRET);
      bed.gcp.addVersion(PROJECT + "/secrets/app-direct", "direct");
      kube.serviceAccounts()
          .inNamespace(GcpTestBed.NAMESPACE)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("app")
                  .withNamespace(GcpTestBed.NAMESPACE)
                  .addToAnnotations(GoogleServiceAccounts.ANNOTATION, TARGET)
                  .addToAnnotations(GoogleServiceAccounts.DELEGATES, "[\"" + DELEGATE + "\"]")
                  .endMetadata()
                  .build())
          .create();
      kube.serviceAccounts()
          .inNamespace(GcpTestBed.NAMESPACE)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("plain")
                  .withNamespace(GcpTestBed.NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
      GcpBackend backend =
          GcpBackend.start(
              bed.settings(),
              TTL,
              new BackendContext(Clock.systemUTC(), new CredentialCache(Clock.systemUTC(), 100))
                  .withKube(SharedKubeClient.of(kube)));
      try (backend;
          ProviderFixture provider = ProviderFixture.start(backend, ProviderFixture.FAST)) {
        String chained =
            "- resourceName: "
                + PROJECT
                + "/secrets/chained/versions/latest\n  fileName: chained\n";
        KubeRequests.takeGets(server);
        long started = System.nanoTime();
        for (int i = 0; i < 6; i++) {
          assertThat(ProviderFixture.text(provider.mount(call(bed.attributes(chained))), 0))
              .isEqualTo(Canaries.SECRET);
        }
        long ttlsPassed = Duration.ofNanos(System.nanoTime() - started).toMillis() / TTL.toMillis();
        assertThat(KubeRequests.takeGets(server))
            .as("one GET by name per TTL, not one per mount; no list, no watch")
            .allMatch(
                path ->
                    path.equals(
                        "/api/v1/namespaces/" + GcpTestBed.NAMESPACE + "/serviceaccounts/app"))
            .hasSizeBetween(1, (int) Math.min(6, 1 + ttlsPassed));
        assertThat(bed.gcp.calls().count("gcp.iamcredentials.generateAccessToken"))
            .as("one impersonation for six mounts")
            .isEqualTo(1);

        // Without the annotation, plain uses its own federated token: granted app-direct, it reads
        // it.
        bed.gcp.grant(
            bed.gcp.workloadMember(GcpTestBed.NAMESPACE, "plain"), PROJECT + "/secrets/app-direct");
        Map<String, String> plain =
            new HashMap<>(
                bed.attributes(
                    "- resourceName: "
                        + PROJECT
                        + "/secrets/app-direct/versions/latest\n  fileName: d\n"));
        plain.put("csi.storage.k8s.io/serviceAccount.name", "plain");
        plain.put(
            "csi.storage.k8s.io/serviceAccount.tokens",
            GcpTestBed.tokens(Map.of(GcpEmulator.POOL, bed.token("plain"))));
        assertThat(ProviderFixture.text(provider.mount(call(plain)), 0)).isEqualTo("direct");

        // An annotation added later is read once the TTL has passed: plain now impersonates the
        // delegate, which has no access to app-direct.
        bed.gcp.allowImpersonation(DELEGATE, bed.gcp.workloadMember(GcpTestBed.NAMESPACE, "plain"));
        kube.serviceAccounts()
            .inNamespace(GcpTestBed.NAMESPACE)
            .withName("plain")
            .edit(
                sa ->
                    new ServiceAccountBuilder(sa)
                        .editMetadata()
                        .addToAnnotations(GoogleServiceAccounts.ANNOTATION, DELEGATE)
                        .endMetadata()
                        .build());
        Map<String, String> plainAgain = new HashMap<>(plain);
        plainAgain.put(
            "secrets",
            "- resourceName: " + PROJECT + "/secrets/app-direct/versions/1\n  fileName: d\n");
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () ->
                    provider.assertRejected(
                        call(plainAgain),
                        "PERMISSION_DENIED",
                        "AccessSecretVersion: PERMISSION_DENIED"));
      }
      logs.assertNoCanary(bed.canaries());
    } finally {
      server.destroy();
    }
  }
}
