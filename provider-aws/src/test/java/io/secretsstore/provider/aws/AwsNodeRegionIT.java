// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static io.secretsstore.provider.aws.AwsTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ProviderFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The last step of the region order: with no {@code region} parameter and no provider region, the
 * node's {@code topology.kubernetes.io/region} label, read through the fabric8 mock API server.
 * Each node costs one GET (one pod GET before it when the provider does not know its node), shared
 * by every mount; a slow, forbidden or rate-limited API fails the mount within the lookup timeout
 * with a message that says what to set.
 */
class AwsNodeRegionIT extends AwsBedTests {
  private static final String LABELLED_REGION = "eu-central-1";
  private static final String NODE = "node-a";
  private static final String OBJECTS = "- {objectName: app/regional, objectType: secretsmanager}";

  @BeforeAll
  static void seed() throws Exception {
    // Only the labelled region holds the secret, so a mount that reads it used the label.
    bed.aws.putSecret(LABELLED_REGION, "app/regional", Canaries.SECRET);
  }

  private KubernetesMockServer crudServer() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    bed.track((AutoCloseable) server::destroy);
    return server;
  }

  private KubernetesMockServer expectationServer() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    bed.track((AutoCloseable) server::destroy);
    return server;
  }

  private KubernetesClient client(KubernetesMockServer server) {
    KubernetesClient kube = server.createClient();
    bed.track(kube);
    return kube;
  }

  /** A provider whose region comes only from the node (the settings name none). */
  private ProviderFixture provider(KubernetesClient kube, RegionLookup lookup) throws Exception {
    return bed.provider(
        bed.backend(
            kube, bed.settings().withRegion("").withRegionLookup(lookup), Clock.systemUTC()),
        AwsTestBed.FAST);
  }

  /**
   * A client of the server's cluster, which holds node-a with these labels and the canary pod on
   * it.
   */
  private KubernetesClient clusterWithCanaryPod(
      KubernetesMockServer server, Map<String, String> nodeLabels) {
    KubernetesClient kube = client(server);
    kube.nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .addToLabels(nodeLabels)
                .endMetadata()
                .build())
        .create();
    createPod(kube, Canaries.podAttributes().get("csi.storage.k8s.io/pod.name"));
    return kube;
  }

  private static void createPod(KubernetesClient kube, String name) {
    kube.pods()
        .inNamespace(AwsTestBed.NAMESPACE)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(AwsTestBed.NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withNodeName(NODE)
                .endSpec()
                .build())
        .create();
  }

  private static Map<String, String> attributesOfPod(String podName, String uid) {
    Map<String, String> attributes = new HashMap<>(bed.attributes(OBJECTS));
    attributes.put("csi.storage.k8s.io/pod.name", podName);
    attributes.put("csi.storage.k8s.io/pod.uid", uid);
    return attributes;
  }

  @Test
  void nodeLabel_givesTheRegion_onePodGetAndOneNodeGet_forManyMounts() throws Exception {
    KubernetesMockServer server = crudServer();
    ProviderFixture provider =
        provider(
            clusterWithCanaryPod(server, Map.of(NodeRegions.LABEL, LABELLED_REGION)),
            RegionLookup.DEFAULT);
    int before = server.getRequestCount();
    for (int i = 0; i < 5; i++) {
      assertThat(ProviderFixture.text(provider.mount(call(bed.attributes(OBJECTS))), 0))
          .isEqualTo(Canaries.SECRET);
    }
    assertThat(server.getRequestCount() - before)
        .as("GET pod, then GET node, once for five mounts")
        .isEqualTo(2);

    // The parameter wins over the node: the label is not read at all.
    int afterLabel = server.getRequestCount();
    provider.assertRejected(
        call(bed.attributes(OBJECTS + "\n", "region", AwsTestBed.REGION)),
        "NOT_FOUND",
        "us-east-1: GetSecretValue");
    assertThat(server.getRequestCount()).isEqualTo(afterLabel);
  }

  @Test
  void knownNodeName_needsNoPodGet_andTheProviderRegionWinsOverTheNode() throws Exception {
    KubernetesMockServer server = crudServer();
    KubernetesClient kube =
        clusterWithCanaryPod(server, Map.of(NodeRegions.LABEL, LABELLED_REGION));
    ProviderFixture provider = provider(kube, new RegionLookup(NODE, 5, 10, Duration.ofSeconds(5)));
    int before = server.getRequestCount();
    for (int i = 0; i < 3; i++) {
      assertThat(
              ProviderFixture.text(
                  provider.mount(call(attributesOfPod("pod-" + i, "uid-" + i))), 0))
          .isEqualTo(Canaries.SECRET);
    }
    assertThat(server.getRequestCount() - before).as("one GET node, no pod GET").isEqualTo(1);

    ProviderFixture regional =
        bed.provider(bed.backend(kube, bed.settings(), Clock.systemUTC()), AwsTestBed.FAST);
    int beforeRegional = server.getRequestCount();
    regional.assertRejected(
        call(bed.attributes(OBJECTS)), "NOT_FOUND", "us-east-1: GetSecretValue");
    assertThat(server.getRequestCount())
        .as("--aws-region (env AWS_REGION) needs no node")
        .isEqualTo(beforeRegional);
  }

  @Test
  void nodeWithoutLabel_regionNotFound_namingWhatToSet() throws Exception {
    provider(
            clusterWithCanaryPod(crudServer(), Map.of("kubernetes.io/os", "linux")),
            RegionLookup.DEFAULT)
        .assertRejected(
            call(bed.attributes(OBJECTS)),
            "INVALID_ARGUMENT",
            "Region not found: node node-a has no topology.kubernetes.io/region label; set the region parameter or start the provider with --aws-region");
  }

  /** A provider that knows its node, whose one node GET the server answers, rejects a mount. */
  private void assertRejectedOnNode(
      KubernetesMockServer server, Duration timeout, String code, String message) throws Exception {
    provider(client(server), new RegionLookup(NODE, 5, 10, timeout))
        .assertRejected(call(bed.attributes(OBJECTS)), code, message);
  }

  @Test
  void slowApi_failsWithinTheLookupTimeout_unavailable() throws Exception {
    KubernetesMockServer server = expectationServer();
    server
        .expect()
        .get()
        .delay(30, TimeUnit.SECONDS)
        .withPath("/api/v1/nodes/" + NODE)
        .andReturn(
            200,
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .addToLabels(NodeRegions.LABEL, LABELLED_REGION)
                .endMetadata()
                .build())
        .always();
    assertRejectedOnNode(
        server,
        Duration.ofMillis(300),
        "UNAVAILABLE",
        "Region not found: the node's topology.kubernetes.io/region label could not be read within 300 ms");
  }

  @Test
  void forbidden_failedPrecondition_namesTheRbacToGrant() throws Exception {
    KubernetesMockServer server = expectationServer();
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes/" + NODE)
        .andReturn(403, "{\"kind\":\"Status\",\"code\":403}")
        .always();
    assertRejectedOnNode(
        server,
        Duration.ofSeconds(5),
        "FAILED_PRECONDITION",
        "the provider may not get nodes (HTTP 403); grant get on pods and nodes");
  }

  @Test
  void clientSideRateLimit_refusesAtOnce_whileKnownPodsStillMount() throws Exception {
    KubernetesMockServer server = crudServer();
    KubernetesClient kube =
        clusterWithCanaryPod(server, Map.of(NodeRegions.LABEL, LABELLED_REGION));
    createPod(kube, "second");
    // Two requests, then one per ~3 hours: the first pod's two GETs use the burst up.
    ProviderFixture provider =
        provider(kube, new RegionLookup("", 0.0001, 2, Duration.ofSeconds(5)));
    assertThat(provider.mount(call(bed.attributes(OBJECTS))).files()).hasSize(1);
    int before = server.getRequestCount();
    provider.assertRejected(
        call(attributesOfPod("second", "uid-second")),
        "UNAVAILABLE",
        "the client-side Kubernetes rate limit (--aws-kube-qps 0.0001, --aws-kube-burst 2) leaves no request within the lookup timeout");
    assertThat(server.getRequestCount()).as("nothing sent beyond the limit").isEqualTo(before);
    assertThat(provider.mount(call(bed.attributes(OBJECTS))).files())
        .as("a known pod needs no request")
        .hasSize(1);
  }
}
