// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static io.secretsstore.provider.aws.AwsTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.kube.ServiceAccountAnnotations;
import io.secretsstore.provider.kube.SharedKubeClient;
import io.secretsstore.provider.spi.BackendContext;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ProviderFixture;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The AWS backend reads the cluster (a service account's role annotation, the node's region label)
 * through the process's one Kubernetes client, which the context creates on the first mount that
 * needs it; a backend whose mounts need no cluster never creates it, and closing the backend leaves
 * the process's client open for the rest of the process.
 */
class AwsSharedKubeClientIT extends AwsBedTests {
  private static final String LABELLED_REGION = "eu-west-3";
  private static final String NODE = "node-shared";
  private static final String OBJECTS = "- {objectName: app/shared, objectType: secretsmanager}";

  @Test
  void roleAnnotationAndNodeRegion_shareOneClient_createdOnTheFirstMountThatNeedsIt()
      throws Exception {
    bed.aws.putSecret(LABELLED_REGION, "app/shared", Canaries.SECRET);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    bed.track((AutoCloseable) server::destroy);
    try (var seed = server.createClient()) {
      seed.nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(NODE)
                  .addToLabels("topology.kubernetes.io/region", LABELLED_REGION)
                  .endMetadata()
                  .build())
          .create();
      seed.pods()
          .inNamespace(AwsTestBed.NAMESPACE)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(Canaries.podAttributes().get("csi.storage.k8s.io/pod.name"))
                  .withNamespace(AwsTestBed.NAMESPACE)
                  .endMetadata()
                  .withNewSpec()
                  .withNodeName(NODE)
                  .endSpec()
                  .build())
          .create();
      seed.serviceAccounts()
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
    }
    AtomicInteger built = new AtomicInteger();
    SharedKubeClient kube =
        bed.track(
            SharedKubeClient.lazy(
                () -> {
                  built.incrementAndGet();
                  return server.createClient();
                }));
    Clock clock = Clock.systemUTC();
    AwsSettings settings = bed.settings().withRegion("").withRoleArnFor(Map.of());
    AwsBackend backend =
        AwsBackend.start(
            settings,
            ServiceAccountAnnotations.TTL,
            new BackendContext(clock, new CredentialCache(clock, 100)).withKube(kube));
    assertThat(built).as("starting reads nothing from the cluster").hasValue(0);

    try (ProviderFixture provider = ProviderFixture.start(backend, AwsTestBed.FAST)) {
      for (int i = 0; i < 3; i++) {
        assertThat(ProviderFixture.text(provider.mount(call(bed.attributes(OBJECTS))), 0))
            .isEqualTo(Canaries.SECRET);
      }
    }
    backend.close();

    assertThat(built)
        .as("the role annotation and the node's region, through one client")
        .hasValue(1);
    assertThat(kube.created()).isEqualTo(1);
    assertThat(kube.get().nodes().withName(NODE).get())
        .as("the backend closed neither the client nor its connections")
        .isNotNull();
  }

  @Test
  void mountsThatNeedNoCluster_neverCreateTheClient() throws Exception {
    bed.aws.putSecret(AwsTestBed.REGION, "app/shared", Canaries.SECRET);
    AtomicInteger built = new AtomicInteger();
    SharedKubeClient kube =
        bed.track(
            SharedKubeClient.lazy(
                () -> {
                  built.incrementAndGet();
                  throw new AssertionError("no mount here needs the cluster");
                }));
    Clock clock = Clock.systemUTC();
    // The region and the role come from the settings: nothing to look up.
    AwsBackend backend =
        AwsBackend.start(
            bed.settings(),
            ServiceAccountAnnotations.TTL,
            new BackendContext(clock, new CredentialCache(clock, 100)).withKube(kube));
    try (backend;
        ProviderFixture provider = ProviderFixture.start(backend, AwsTestBed.FAST)) {
      assertThat(ProviderFixture.text(provider.mount(call(bed.attributes(OBJECTS))), 0))
          .isEqualTo(Canaries.SECRET);
    }
    assertThat(built).hasValue(0);
    assertThat(kube.created()).isZero();
  }
}
