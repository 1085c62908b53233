// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.provider.kube.SyncResources;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.SyncApiServer;
import io.secretsstore.provider.testing.SyncHarness;
import io.secretsstore.provider.testing.SyncTestBed;
import io.secretsstore.provider.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The controller against fabric8's CRUD mock API server and core's test backend. */
class SecretSyncControllerIT {
  private static final String NS = "team-a";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final LogCapture logs = new LogCapture();

  private SyncTestBed bed;
  private SyncApiServer api;
  private KubernetesClient kube;
  private TestBackend backend;
  private SyncHarness harness;

  @BeforeEach
  void start() {
    bed = new SyncTestBed();
    api = bed.api;
    kube = bed.kube;
    backend = bed.backend;
    harness = bed.harness;
  }

  @AfterEach
  void stop() {
    bed.close();
    logs.assertNoCanary(Canaries.all());
  }

  private Secret secret(String name) {
    return bed.secret(name);
  }

  private static String value(Secret secret, String key) {
    return SyncTestBed.value(secret, key);
  }

  private Map<String, Object> condition(String name, String type) {
    return bed.condition(name, type);
  }

  private GenericKubernetesResource createDbSync() {
    return api.createSecretSync(
        NS, "db", SyncApiServer.opaqueSpec("app-secrets", "app", "db/password", "password"));
  }

  @Test
  void create_writesTheSecretOwnedByTheSecretSync_withTheReservedLabelAndAKeyedHash() {
    Map<String, Object> spec =
        SyncApiServer.opaqueSpec("app-secrets", "app", "db/password", "password");
    spec.put(
        "secretObject",
        Map.of(
            "type",
            "Opaque",
            "data",
            List.of(Map.of("sourcePath", "db/password", "targetKey", "password")),
            "labels",
            Map.of("team", "a"),
            "annotations",
            Map.of("owner", "platform")));
    GenericKubernetesResource sync = api.createSecretSync(NS, "db", spec);
    harness.start("sync-0");

    await().atMost(WAIT).until(() -> secret("db") != null);
    Secret secret = secret("db");
    assertThat(value(secret, "password")).isEqualTo("v1-" + Canaries.SECRET);
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(SecretSyncSpec.RESERVED_LABEL, "")
        .containsEntry("team", "a");
    assertThat(secret.getMetadata().getAnnotations()).containsEntry("owner", "platform");
    // Garbage collection deletes the Secret with its SecretSync: exactly one controller owner.
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getUid()).isEqualTo(sync.getMetadata().getUid());
              assertThat(owner.getKind()).isEqualTo("SecretSync");
              assertThat(owner.getApiVersion()).isEqualTo("secret-sync.x-k8s.io/v1alpha1");
              assertThat(owner.getController()).isTrue();
            });
    await()
        .atMost(WAIT)
        .until(() -> "True".equals(condition("db", SyncStatus.CREATED).get("status")));
    Map<String, Object> status =
        SecretSyncSpec.map(api.secretSync(NS, "db").getAdditionalProperties().get("status"));
    assertThat(String.valueOf(status.get("syncHash"))).startsWith("hmac-sha256:");
    assertThat(status).containsKey("lastSuccessfulSyncTime");
    assertThat(condition("db", SyncStatus.CREATED)).containsEntry("reason", "CreateSuccessful");
    assertThat(harness.audit)
        .anySatisfy(
            e -> {
              assertThat(e.action()).isEqualTo("sync");
              assertThat(e.secret()).isEqualTo("db");
              assertThat(e.namespace()).isEqualTo(NS);
              assertThat(e.serviceAccount()).isEqualTo("app");
              assertThat(e.objectId()).isEqualTo("db/password");
              assertThat(e.fingerprint()).startsWith("hmac-sha256:");
            });
    assertThat(harness.audit.toString())
        .doesNotContain(Canaries.SECRET)
        .doesNotContain(Canaries.TOKEN);
  }

  @Test
  void rotation_updatesTheSecretWithinAPoll_andAnUnchangedSecretIsNotWrittenAgain() {
    createDbSync();
    harness.start("sync-0");
    await().atMost(WAIT).until(() -> secret("db") != null);
    // Several polls with nothing new: no further apply.
    await()
        .atMost(WAIT)
        .until(
            () ->
                harness.outcomes.get("sync-0").stream().filter("SecretUpToDate"::equals).count()
                    >= 3);
    assertThat(api.secretApplies(NS, "db")).isEqualTo(1);
    assertThat(harness.writesBy("sync-0")).isEqualTo(1);

    backend.put("db/password", "v2-" + Canaries.SECRET);

    await()
        .atMost(WAIT)
        .until(() -> value(secret("db"), "password").equals("v2-" + Canaries.SECRET));
    assertThat(api.secretApplies(NS, "db")).isEqualTo(2);
    await()
        .atMost(WAIT)
        .until(() -> "True".equals(condition("db", SyncStatus.UPDATED).get("status")));
    assertThat(condition("db", SyncStatus.UPDATED)).containsEntry("reason", "SecretUpToDate");
  }

  @Test
  void forceSynchronization_rewritesTheSecretThoughTheDataIsUnchanged() {
    createDbSync();
    harness.start("sync-0");
    await()
        .atMost(WAIT)
        .until(() -> "True".equals(condition("db", SyncStatus.CREATED).get("status")));
    String hash =
        String.valueOf(
            SecretSyncSpec.map(api.secretSync(NS, "db").getAdditionalProperties().get("status"))
                .get("syncHash"));

    // A user's edit, retried like kubectl's when it races the controller's status write (409).
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                kube.genericKubernetesResources(SyncResources.SECRET_SYNC)
                        .inNamespace(NS)
                        .withName("db")
                        .edit(
                            s -> {
                              SecretSyncSpec.map(s.getAdditionalProperties().get("spec"))
                                  .put("forceSynchronization", "2026-11-28T19:00:00Z");
                              return s;
                            })
                    != null);

    await().atMost(WAIT).until(() -> api.secretApplies(NS, "db") == 2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                !hash.equals(
                    String.valueOf(
                        SecretSyncSpec.map(
                                api.secretSync(NS, "db").getAdditionalProperties().get("status"))
                            .get("syncHash"))));
  }

  @Test
  void tls_splitsPemAndPfxIntoTlsCrtAndTlsKey() throws IOException {
    backend.put("pem", resource("rsa-bundle.pem", false));
    backend.put("pfx", resource("rsa-bundle.pfx", true));
    api.createProviderClass(
        NS, "certs", "test", Map.of("objects", "[{\"name\":\"pem\"},{\"name\":\"pfx\"}]"));
    for (String source : List.of("pem", "pfx")) {
      api.createSecretSync(
          NS,
          "web-" + source,
          SyncApiServer.spec(
              "certs",
              "app",
              "kubernetes.io/tls",
              List.of(
                  Map.of("sourcePath", source, "targetKey", "tls.crt"),
                  Map.of("sourcePath", source, "targetKey", "tls.key"))));
    }
    harness.start("sync-0");

    String key = resource("rsa-pkcs1.key", false);
    String leaf = resource("rsa.crt", false);
    for (String source : List.of("pem", "pfx")) {
      await().atMost(WAIT).until(() -> secret("web-" + source) != null);
      Secret secret = secret("web-" + source);
      assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
      assertThat(secret.getData()).containsOnlyKeys("tls.crt", "tls.key");
      assertThat(value(secret, "tls.key")).isEqualTo(key);
      assertThat(value(secret, "tls.crt")).startsWith(leaf);
    }
    assertThat(value(secret("web-pem"), "tls.crt")).isEqualTo(leaf + resource("ca.crt", false));
  }

  @Test
  void missingSourcePath_failsTheCreateConditionNamingThePath_andWritesNothing() {
    api.createSecretSync(
        NS, "db", SyncApiServer.opaqueSpec("app-secrets", "app", "db/user", "user"));
    harness.start("sync-0");

    await()
        .atMost(WAIT)
        .until(() -> "False".equals(condition("db", SyncStatus.CREATED).get("status")));
    assertThat(condition("db", SyncStatus.CREATED))
        .containsEntry("reason", "RemoteSecretStoreFetchFailed")
        .containsEntry(
            "message",
            "file matching sourcePath db/user not found in the SecretProviderClass objects");
    assertThat(secret("db")).isNull();
  }

  @Test
  void missingSecretProviderClass_fails_thenSyncsOnceTheClassIsCreated() {
    api.createSecretSync(
        NS, "db", SyncApiServer.opaqueSpec("later", "app", "db/password", "password"));
    harness.start("sync-0");

    await()
        .atMost(WAIT)
        .until(() -> "False".equals(condition("db", SyncStatus.CREATED).get("status")));
    assertThat(condition("db", SyncStatus.CREATED))
        .containsEntry("reason", "SecretProviderClassMisconfigured")
        .containsEntry("message", "SecretProviderClass later not found in namespace team-a");
    assertThat(secret("db")).isNull();

    api.createProviderClass(NS, "later", "test", Map.of("objects", "[{\"name\":\"db/password\"}]"));
    await().atMost(WAIT).until(() -> secret("db") != null);
    await()
        .atMost(WAIT)
        .until(() -> "True".equals(condition("db", SyncStatus.CREATED).get("status")));
  }

  @Test
  void reservedLabel_isRejectedWithUpstreamsReason() {
    Map<String, Object> spec =
        SyncApiServer.opaqueSpec("app-secrets", "app", "db/password", "password");
    spec.put(
        "secretObject",
        Map.of(
            "type",
            "Opaque",
            "labels",
            Map.of(SecretSyncSpec.RESERVED_LABEL, "x"),
            "data",
            List.of(Map.of("sourcePath", "db/password", "targetKey", "password"))));
    api.createSecretSync(NS, "db", spec);
    harness.start("sync-0");

    await()
        .atMost(WAIT)
        .until(
            () ->
                "InvalidClusterSecretLabelError"
                    .equals(condition("db", SyncStatus.CREATED).get("reason")));
    assertThat(secret("db")).isNull();
  }

  @Test
  void deniedServiceAccount_failsWithTheBackendsReason_andNoSecret() {
    api.createProviderClass(
        NS, "denied", "test", Map.of("objects", "[{\"name\":\"db/password\"}]", "deny", "app"));
    api.createSecretSync(
        NS, "db", SyncApiServer.opaqueSpec("denied", "app", "db/password", "password"));
    harness.start("sync-0");

    await()
        .atMost(WAIT)
        .until(() -> "False".equals(condition("db", SyncStatus.CREATED).get("status")));
    assertThat(condition("db", SyncStatus.CREATED)).containsEntry("reason", "ProviderError");
    assertThat(String.valueOf(condition("db", SyncStatus.CREATED).get("message")))
        .contains("denied the service account");
    assertThat(secret("db")).isNull();
  }

  @Test
  void foreignSecret_isLeftUntouched_andTheSecretSyncFails() {
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
    createDbSync();
    harness.start("sync-0");

    await()
        .atMost(WAIT)
        .until(() -> "False".equals(condition("db", SyncStatus.CREATED).get("status")));
    assertThat(condition("db", SyncStatus.CREATED))
        .containsEntry("reason", "ControllerPatchError")
        .containsEntry(
            "message",
            "Secret team-a/db exists and is not owned by this SecretSync; it is left untouched");
    assertThat(value(secret("db"), "password")).isEqualTo("theirs");
    assertThat(secret("db").getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(api.secretApplies(NS, "db")).isZero();
  }

  @Test
  void deletedSecretSync_isNotRecreated_andItsSecretCarriesTheOwnerGarbageCollectionFollows() {
    GenericKubernetesResource sync = createDbSync();
    harness.start("sync-0");
    await().atMost(WAIT).until(() -> secret("db") != null);
    List<OwnerReference> owners = secret("db").getMetadata().getOwnerReferences();
    assertThat(owners)
        .extracting(OwnerReference::getUid)
        .containsExactly(sync.getMetadata().getUid());

    kube.genericKubernetesResources(SyncResources.SECRET_SYNC)
        .inNamespace(NS)
        .withName("db")
        .delete();
    // The API server's garbage collector deletes dependents whose owner is gone; the mock has none.
    kube.secrets().inNamespace(NS).withName("db").delete();
    int applies = api.secretApplies(NS, "db");
    await().pollDelay(SyncHarness.POLL.multipliedBy(4)).atMost(WAIT).until(() -> true);
    assertThat(secret("db")).isNull();
    assertThat(api.secretApplies(NS, "db")).isEqualTo(applies);
  }

  @Test
  void secretSyncOfAnotherProvidersClass_isLeftToThatProvidersController() {
    api.createProviderClass(
        NS, "elsewhere", "aws", Map.of("objects", "[{\"name\":\"db/password\"}]"));
    api.createSecretSync(
        NS, "theirs", SyncApiServer.opaqueSpec("elsewhere", "app", "db/password", "password"));
    createDbSync();
    harness.start("sync-0");

    await().atMost(WAIT).until(() -> secret("db") != null);
    await().pollDelay(SyncHarness.POLL.multipliedBy(3)).atMost(WAIT).until(() -> true);
    assertThat(secret("theirs")).isNull();
    assertThat(api.secretSync(NS, "theirs").getAdditionalProperties()).doesNotContainKey("status");
  }

  @Test
  void twoReplicas_onlyTheLeaderWrites_andTheOtherTakesOverWhenItStepsDown() {
    createDbSync();
    LeaderElection first = harness.startElected("sync-a");
    await().atMost(WAIT).until(() -> secret("db") != null);
    LeaderElection second = harness.startElected("sync-b");
    await().pollDelay(SyncHarness.POLL.multipliedBy(4)).atMost(WAIT).until(() -> true);
    assertThat(harness.writesBy("sync-a")).isEqualTo(1);
    assertThat(harness.outcomes.get("sync-b")).isNull();

    first.close();
    backend.put("db/password", "v2-" + Canaries.SECRET);

    await().atMost(WAIT).until(() -> harness.writesBy("sync-b") == 1);
    assertThat(value(secret("db"), "password")).isEqualTo("v2-" + Canaries.SECRET);
    assertThat(harness.writesBy("sync-a")).isEqualTo(1);
    second.close();
  }

  private static String resource(String name, boolean base64) throws IOException {
    try (InputStream in = SecretSyncControllerIT.class.getResourceAsStream("/sync/" + name)) {
      byte[] bytes = in.readAllBytes();
      return base64
          ? Base64.getEncoder().encodeToString(bytes)
          : new String(bytes, StandardCharsets.US_ASCII);
    }
  }
}
