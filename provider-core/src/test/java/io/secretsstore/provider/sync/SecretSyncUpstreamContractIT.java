// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.secretsstore.provider.kube.SyncResources;
import io.secretsstore.provider.spi.AllowLists;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.SyncApiServer;
import io.secretsstore.provider.testing.SyncHarness;
import io.secretsstore.provider.testing.SyncTestBed;
import io.secretsstore.provider.testing.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SecretSync contract of the upstream secrets-store-sync-controller, checked against fabric8's
 * CRUD mock API server: the condition sequence through create, update, no-op, failure and recovery;
 * refused Secret types; Secrets of other owners; Events and metrics.
 */
class SecretSyncUpstreamContractIT {
  private static final String NS = "team-a";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final LogCapture logs = new LogCapture();

  // A fresh world per test: JUnit makes an instance per test method.
  private final SyncTestBed bed = new SyncTestBed();
  private final SyncApiServer api = bed.api;
  private final KubernetesClient kube = bed.kube;
  private final TestBackend backend = bed.backend;
  private final SyncHarness harness = bed.harness;

  @AfterEach
  void stop() {
    bed.close();
    logs.assertNoCanary(Canaries.all());
  }

  /**
   * (SecretCreated status/reason, SecretUpdated status/reason) as upstream would show them, e.g.
   * "True/CreateSuccessful".
   */
  private record Conditions(String created, String updated) {
    static Conditions of(GenericKubernetesResource sync) {
      SyncStatus status = SyncStatus.of(sync.getAdditionalProperties().get("status"));
      return new Conditions(
          brief(status.condition(SyncStatus.CREATED)), brief(status.condition(SyncStatus.UPDATED)));
    }

    private static String brief(Map<String, Object> condition) {
      return condition.isEmpty() ? "-" : condition.get("status") + "/" + condition.get("reason");
    }
  }

  /**
   * Every distinct condition pair the SecretSync shows, in order, as a watcher (kubectl wait, an
   * alert) sees them.
   */
  private List<Conditions> watchConditions(String name) {
    List<Conditions> seen = new CopyOnWriteArrayList<>();
    SharedIndexInformer<GenericKubernetesResource> informer =
        kube.genericKubernetesResources(SyncResources.SECRET_SYNC)
            .inNamespace(NS)
            .withName(name)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(GenericKubernetesResource sync) {
                    record(sync);
                  }

                  @Override
                  public void onUpdate(
                      GenericKubernetesResource before, GenericKubernetesResource after) {
                    record(after);
                  }

                  @Override
                  public void onDelete(GenericKubernetesResource sync, boolean unknown) {}

                  private void record(GenericKubernetesResource sync) {
                    Conditions now = Conditions.of(sync);
                    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
                      seen.add(now);
                    }
                  }
                });
    // Closed before the bed's API server: a second @AfterEach could run after the bed's (JUnit
    // does not order them), closing the server under this informer's open watch.
    bed.closesFirst(informer);
    return seen;
  }

  private Secret secret(String name) {
    return bed.secret(name);
  }

  private Map<String, Object> condition(String name, String type) {
    return bed.condition(name, type);
  }

  private static String value(Secret secret, String key) {
    return SyncTestBed.value(secret, key);
  }

  private List<Event> events(String name) {
    return kube.events().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> e.getRegarding() != null && name.equals(e.getRegarding().getName()))
        .toList();
  }

  private String metrics(String replica) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, harness.registries.get(replica).scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private void editSpc(Map<String, String> parameters) {
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                kube.genericKubernetesResources(SyncResources.SECRET_PROVIDER_CLASS)
                        .inNamespace(NS)
                        .withName("app-secrets")
                        .edit(
                            spc -> {
                              spc.setAdditionalProperty(
                                  "spec", Map.of("provider", "test", "parameters", parameters));
                              return spc;
                            })
                    != null);
  }

  @Test
  void conditions_followUpstreamsSequence_createUpdateNoOpFailureRecovery() throws IOException {
    List<Conditions> seen = watchConditions("db");
    api.createSecretSync(
        NS, "db", SyncApiServer.opaqueSpec("app-secrets", "app", "db/password", "password"));
    harness.start("sync-0");

    // Create: first upstream's two Unknown conditions, then both True.
    await()
        .atMost(WAIT)
        .until(() -> "True".equals(condition("db", SyncStatus.CREATED).get("status")));
    Map<String, Object> created = condition("db", SyncStatus.CREATED);
    assertThat(created)
        .containsEntry("reason", "CreateSuccessful")
        .containsEntry("message", "Secret created successfully.");
    assertThat(condition("db", SyncStatus.UPDATED))
        .containsEntry("status", "True")
        .containsEntry("reason", "SecretUpToDate")
        .containsEntry("message", "Secret contains last observed values.");
    // The Event is written after the status (best effort, SecretSyncReconciler#sync): wait for it.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events("db"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Normal");
                          assertThat(e.getReason()).isEqualTo(SyncEvents.CREATED);
                        }));

    // Update: the Secret follows the backend; SecretUpdated stays True/SecretUpToDate,
    // SecretCreated is not touched.
    backend.put("db/password", "v2-" + Canaries.SECRET);
    await()
        .atMost(WAIT)
        .until(() -> value(secret("db"), "password").equals("v2-" + Canaries.SECRET));
    await()
        .atMost(WAIT)
        .until(() -> events("db").stream().anyMatch(e -> SyncEvents.UPDATED.equals(e.getReason())));
    assertThat(condition("db", SyncStatus.CREATED)).isEqualTo(created);
    assertThat(condition("db", SyncStatus.UPDATED))
        .containsEntry("status", "True")
        .containsEntry("reason", "SecretUpToDate");

    // No-op: polls with nothing new write neither the Secret nor the status.
    int applies = api.secretApplies(NS, "db");
    String version = api.secretSync(NS, "db").getMetadata().getResourceVersion();
    await()
        .atMost(WAIT)
        .until(
            () ->
                metrics("sync-0").contains("result=\"unchanged\"} 3")
                    || metrics("sync-0")
                        .matches("(?s).*result=\"unchanged\"} ([4-9]|\\d\\d+)\\.0.*"));
    assertThat(api.secretApplies(NS, "db")).isEqualTo(applies);
    assertThat(api.secretSync(NS, "db").getMetadata().getResourceVersion()).isEqualTo(version);

    // Failure: the store refuses the service account; SecretUpdated turns False/ProviderError, one
    // Warning.
    editSpc(Map.of("objects", "[{\"name\":\"db/password\"}]", "deny", "app"));
    await()
        .atMost(WAIT)
        .until(() -> "False".equals(condition("db", SyncStatus.UPDATED).get("status")));
    assertThat(condition("db", SyncStatus.UPDATED)).containsEntry("reason", "ProviderError");
    assertThat(condition("db", SyncStatus.CREATED)).isEqualTo(created);
    await()
        .atMost(WAIT)
        .until(() -> events("db").stream().anyMatch(e -> "Warning".equals(e.getType())));
    assertThat(events("db"))
        .filteredOn(e -> "Warning".equals(e.getType()))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).isEqualTo("ProviderError"));
    assertThat(value(secret("db"), "password")).isEqualTo("v2-" + Canaries.SECRET);

    // Recovery: the class is fixed; SecretUpdated is True/SecretUpToDate again.
    editSpc(Map.of("objects", "[{\"name\":\"db/password\"}]"));
    await()
        .atMost(WAIT)
        .until(() -> "True".equals(condition("db", SyncStatus.UPDATED).get("status")));
    assertThat(condition("db", SyncStatus.UPDATED)).containsEntry("reason", "SecretUpToDate");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(seen)
                    .containsExactly(
                        new Conditions("-", "-"),
                        new Conditions("Unknown/SyncStarting", "Unknown/NoUpdatesAttemptedYet"),
                        new Conditions("True/CreateSuccessful", "True/SecretUpToDate"),
                        new Conditions("True/CreateSuccessful", "False/ProviderError"),
                        new Conditions("True/CreateSuccessful", "True/SecretUpToDate")));
    String scraped = metrics("sync-0");
    assertThat(scraped)
        .contains(
            "secrets_store_provider_sync_reconciles_total{provider=\"test\",result=\"created\"} 1.0")
        .contains("secrets_store_provider_sync_queue_depth{provider=\"test\"}")
        .contains(
            "secrets_store_provider_sync_reconciles_total{provider=\"test\",result=\"error\"}");
  }

  @Test
  void failedCreate_marksSecretCreated_andTheUpdateConditionStaysAsUpstreamLeavesIt() {
    api.createSecretSync(
        NS, "db", SyncApiServer.opaqueSpec("missing", "app", "db/password", "password"));
    harness.start("sync-0");

    await()
        .atMost(WAIT)
        .until(() -> "False".equals(condition("db", SyncStatus.CREATED).get("status")));
    assertThat(condition("db", SyncStatus.CREATED))
        .containsEntry("reason", "SecretProviderClassMisconfigured");
    assertThat(condition("db", SyncStatus.UPDATED))
        .containsEntry("status", "Unknown")
        .containsEntry("reason", "NoUpdatesAttemptedYet");
    assertThat(api.secretSync(NS, "db").getAdditionalProperties().get("status"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .doesNotContainKey("syncHash");
    await().atMost(WAIT).until(() -> !events("db").isEmpty());
    assertThat(events("db"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("SecretProviderClassMisconfigured");
              assertThat(e.getNote())
                  .isEqualTo("SecretProviderClass missing not found in namespace team-a");
              assertThat(e.getReportingController()).isEqualTo(SyncEvents.CONTROLLER);
            });
  }

  @Test
  void everyFailureReason_isUpstreamsForTheSameCause() {
    // No token for the service account (the TokenRequest fails): upstream's ControllerSyncError.
    api.createSecretSync(
        NS,
        "no-token",
        SyncApiServer.opaqueSpec("app-secrets", "nobody", "db/password", "password"));
    // A provider call that fails: ProviderError. (A service account of its own: the engine shares a
    // fetch of the same object for the same identity, which the other SecretSyncs here make.)
    api.serviceAccountToken(NS, "refused", Canaries.TOKEN);
    api.createProviderClass(
        NS, "denied", "test", Map.of("objects", "[{\"name\":\"db/password\"}]", "deny", "refused"));
    api.createSecretSync(
        NS, "denied", SyncApiServer.opaqueSpec("denied", "refused", "db/password", "password"));
    // A sourcePath the provider did not return: RemoteSecretStoreFetchFailed.
    api.createSecretSync(
        NS, "no-file", SyncApiServer.opaqueSpec("app-secrets", "app", "db/user", "user"));
    // No such SecretProviderClass: SecretProviderClassMisconfigured.
    api.createSecretSync(
        NS, "no-class", SyncApiServer.opaqueSpec("missing", "app", "db/password", "password"));
    // The reserved prefixes: InvalidClusterSecretLabelError, InvalidClusterSecretAnnotationError.
    for (String field : List.of("labels", "annotations")) {
      Map<String, Object> spec =
          SyncApiServer.opaqueSpec("app-secrets", "app", "db/password", "password");
      Map<String, Object> secretObject =
          new HashMap<>(SecretSyncSpec.map(spec.get("secretObject")));
      secretObject.put(field, Map.of("secrets-store.sync.x-k8s.io/mine", "x"));
      spec.put("secretObject", secretObject);
      api.createSecretSync(NS, "reserved-" + field, spec);
    }
    harness.start("sync-0");

    Map<String, String> expected =
        Map.of(
            "no-token",
            "ControllerSyncError",
            "denied",
            "ProviderError",
            "no-file",
            "RemoteSecretStoreFetchFailed",
            "no-class",
            "SecretProviderClassMisconfigured",
            "reserved-labels",
            "InvalidClusterSecretLabelError",
            "reserved-annotations",
            "InvalidClusterSecretAnnotationError");
    expected.forEach(
        (name, reason) -> {
          await()
              .atMost(WAIT)
              .until(() -> "False".equals(condition(name, SyncStatus.CREATED).get("status")));
          assertThat(condition(name, SyncStatus.CREATED)).as(name).containsEntry("reason", reason);
          assertThat(condition(name, SyncStatus.UPDATED))
              .as(name)
              .containsEntry("status", "Unknown")
              .containsEntry("reason", "NoUpdatesAttemptedYet");
          assertThat(secret(name)).as(name).isNull();
        });
  }

  @Test
  void serviceAccountTokenAndBootstrapTypes_writeNothing_andSayWhy() {
    Map<String, Object> saToken =
        SyncApiServer.spec(
            "app-secrets",
            "app",
            "kubernetes.io/service-account-token",
            List.of(Map.of("sourcePath", "db/password", "targetKey", "token")));
    Map<String, Object> secretObject =
        new HashMap<>(SecretSyncSpec.map(saToken.get("secretObject")));
    secretObject.put("annotations", Map.of("kubernetes.io/service-account.name", "default"));
    saToken.put("secretObject", secretObject);
    api.createSecretSync(NS, "sa-token", saToken);
    api.createSecretSync(
        NS,
        "join",
        SyncApiServer.spec(
            "app-secrets",
            "app",
            "bootstrap.kubernetes.io/token",
            List.of(Map.of("sourcePath", "db/password", "targetKey", "token-secret"))));
    harness.start("sync-0");

    for (String name : List.of("sa-token", "join")) {
      await()
          .atMost(WAIT)
          .until(() -> "False".equals(condition(name, SyncStatus.CREATED).get("status")));
      assertThat(condition(name, SyncStatus.CREATED))
          .containsEntry("reason", "ControllerPatchError");
      assertThat(String.valueOf(condition(name, SyncStatus.CREATED).get("message")))
          .contains("nothing was written");
      await().atMost(WAIT).until(() -> !events(name).isEmpty());
      assertThat(events(name))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo("ControllerPatchError");
              });
      assertThat(secret(name)).isNull();
      assertThat(api.secretApplies(NS, name)).isZero();
    }
    assertThat(String.valueOf(condition("sa-token", SyncStatus.CREATED).get("message")))
        .contains("kubernetes.io/service-account-token is never synced");
    assertThat(String.valueOf(condition("join", SyncStatus.CREATED).get("message")))
        .contains(
            "bootstrap.kubernetes.io/token is not in the controller's allowed types (syncAllowedSecretTypes");
    // Refused before any fetch: the backend was never asked.
    assertThat(backend.fetches()).isZero();
  }

  @Test
  void allowedTypes_comeFromTheConfigurationFile_andApplyWithoutARestart() {
    AllowLists lists = new AllowLists();
    harness.secretTypes = SecretTypePolicy.declare(lists);
    api.createSecretSync(
        NS,
        "creds",
        SyncApiServer.spec(
            "app-secrets",
            "app",
            "example.com/api-credentials",
            List.of(Map.of("sourcePath", "db/password", "targetKey", "password"))));
    harness.start("sync-0");
    await()
        .atMost(WAIT)
        .until(() -> "False".equals(condition("creds", SyncStatus.CREATED).get("status")));
    assertThat(secret("creds")).isNull();

    // What the configuration watcher does when the file changes.
    lists.replace(
        Map.of(SecretTypePolicy.CONFIG_KEY, List.of("Opaque", "example.com/api-credentials")));

    await().atMost(WAIT).until(() -> secret("creds") != null);
    assertThat(secret("creds").getType()).isEqualTo("example.com/api-credentials");
    await()
        .atMost(WAIT)
        .until(() -> "True".equals(condition("creds", SyncStatus.CREATED).get("status")));
  }

  @Test
  void admissionOwnerCheck_readsNoSecret_andAPolicyRefusalLeavesTheForeignSecretUntouched() {
    harness.ownerCheck = SecretApplier.OwnerCheck.ADMISSION;
    kube.secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .withType("Opaque")
                .withData(
                    Map.of(
                        "password",
                        Base64.getEncoder()
                            .encodeToString("theirs".getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
    // What the chart's owner policy does to the controller's write of a Secret it does not own.
    api.refuseApplyByPolicy(NS, "db", "ssp-vault-sync-secret-owner");
    api.createSecretSync(
        NS, "db", SyncApiServer.opaqueSpec("app-secrets", "app", "db/password", "password"));
    api.createSecretSync(
        NS, "other", SyncApiServer.opaqueSpec("app-secrets", "app", "db/password", "password"));
    int readsBefore = api.secretReads();
    harness.start("sync-0");

    await()
        .atMost(WAIT)
        .until(() -> "False".equals(condition("db", SyncStatus.CREATED).get("status")));
    await()
        .atMost(WAIT)
        .until(() -> "True".equals(condition("other", SyncStatus.CREATED).get("status")));
    // Two syncs, a create and a refusal, and not one read of a Secret (the test has read none so
    // far either).
    assertThat(api.secretReads()).isEqualTo(readsBefore);
    assertThat(condition("db", SyncStatus.CREATED))
        .containsEntry("reason", "ControllerPatchError")
        .containsEntry(
            "message",
            "the API server refused to write Secret team-a/db (HTTP 403): ValidatingAdmissionPolicy ssp-vault-sync-secret-owner denied it");
    assertThat(value(secret("db"), "password")).isEqualTo("theirs");
    assertThat(secret("db").getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(secret("other")).isNotNull();
  }

  @Test
  void readOwnerCheck_recreatesADeletedSecret_andADeletedSecretSyncsTokensAreDropped() {
    api.createSecretSync(
        NS, "db", SyncApiServer.opaqueSpec("app-secrets", "app", "db/password", "password"));
    harness.start("sync-0");
    await().atMost(WAIT).until(() -> secret("db") != null);
    assertThat(api.tokenRequests()).isEqualTo(1);

    kube.secrets().inNamespace(NS).withName("db").delete();
    await().atMost(WAIT).until(() -> secret("db") != null);
    assertThat(value(secret("db"), "password")).isEqualTo("v1-" + Canaries.SECRET);
    // The cached token served the second sync.
    assertThat(api.tokenRequests()).isEqualTo(1);

    kube.genericKubernetesResources(SyncResources.SECRET_SYNC)
        .inNamespace(NS)
        .withName("db")
        .delete();
    kube.secrets().inNamespace(NS).withName("db").delete();
    api.createSecretSync(
        NS, "db2", SyncApiServer.opaqueSpec("app-secrets", "app", "db/password", "password"));
    await().atMost(WAIT).until(() -> secret("db2") != null);
    // The first SecretSync's deletion dropped the service account's token (a 10-minute token is not
    // renewed within this test otherwise): the next sync of that service account mints afresh.
    await().atMost(WAIT).until(() -> api.tokenRequests() == 2);
  }
}
