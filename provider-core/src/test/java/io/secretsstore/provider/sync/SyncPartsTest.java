// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.MountRequestContext;
import io.secretsstore.provider.mount.ServiceAccountToken;
import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.spi.MountPlan;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.TestBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of a sync: spec, attributes, data mapping, hash, status. */
class SyncPartsTest {
  private static final byte[] KEY = new byte[32];

  static GenericKubernetesResource secretSync(Map<String, Object> secretObject) {
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("team-a")
            .withName("db")
            .withUid("uid-1")
            .withGeneration(3L)
            .build());
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("secretProviderClassName", "app-secrets");
    spec.put("serviceAccountName", "app");
    spec.put("secretObject", secretObject);
    resource.setAdditionalProperty("spec", spec);
    return resource;
  }

  static Map<String, Object> opaque(String sourcePath, String targetKey) {
    return Map.of(
        "type",
        "Opaque",
        "data",
        List.of(Map.of("sourcePath", sourcePath, "targetKey", targetKey)));
  }

  private static SecretSyncSpec spec() {
    return SecretSyncSpec.parse(secretSync(opaque("db/password", "password")));
  }

  @Test
  void spec_readsEveryField() {
    Map<String, Object> object = new LinkedHashMap<>(opaque("a", "b"));
    object.put("labels", Map.of("team", "a"));
    object.put("annotations", Map.of("note", "x"));
    GenericKubernetesResource resource = secretSync(object);
    SecretSyncSpec.map(resource.getAdditionalProperties().get("spec"))
        .put("forceSynchronization", "1");

    SecretSyncSpec spec = SecretSyncSpec.parse(resource);

    assertThat(spec.key()).isEqualTo("team-a/db");
    assertThat(spec.uid()).isEqualTo("uid-1");
    assertThat(spec.generation()).isEqualTo(3);
    assertThat(spec.data()).containsExactly(new SecretSyncSpec.Mapping("a", "b"));
    assertThat(spec.labels()).containsExactly(Map.entry("team", "a"));
    assertThat(spec.annotations()).containsExactly(Map.entry("note", "x"));
    assertThat(spec.forceSynchronization()).isEqualTo("1");
  }

  @Test
  void spec_reservedLabelOrAnnotationOrEmptyMapping_isRejectedWithUpstreamsReason() {
    Map<String, Object> labelled = new LinkedHashMap<>(opaque("a", "b"));
    labelled.put("labels", Map.of(SecretSyncSpec.RESERVED_LABEL, ""));
    Map<String, Object> annotated = new LinkedHashMap<>(opaque("a", "b"));
    annotated.put("annotations", Map.of(SecretSyncSpec.RESERVED_ANNOTATION, "x"));

    assertThatThrownBy(() -> SecretSyncSpec.parse(secretSync(labelled)))
        .isInstanceOfSatisfying(
            SyncFailure.class,
            e -> assertThat(e.reason()).isEqualTo(SyncReason.INVALID_CLUSTER_SECRET_LABEL));
    assertThatThrownBy(() -> SecretSyncSpec.parse(secretSync(annotated)))
        .isInstanceOfSatisfying(
            SyncFailure.class,
            e -> assertThat(e.reason()).isEqualTo(SyncReason.INVALID_CLUSTER_SECRET_ANNOTATION));
    assertThatThrownBy(() -> SecretSyncSpec.parse(secretSync(opaque("", "b"))))
        .hasMessageContaining("spec.secretObject.data[0]");
  }

  @Test
  void tokensAttribute_isPinnedByteForByte() {
    List<ServiceAccountToken> tokens =
        List.of(
            new ServiceAccountToken("vault", "a.b.c", Instant.parse("2030-01-01T00:00:00Z")),
            new ServiceAccountToken(
                "sts.\"x\"<\u00e9>", "d.e\\f", Instant.parse("2030-01-01T00:00:00.5Z")));
    SyncAttributes.ControllerPod pod = new SyncAttributes.ControllerPod("sync-0", "0b7c3e52-9f0e");

    String json =
        SyncAttributes.attributes(Map.of(), pod, spec(), tokens)
            .get("csi.storage.k8s.io/serviceAccount.tokens");

    // Each token's two fields come in Map.of's order, which varies between JVM runs.
    String vault1 = "\"token\":\"a.b.c\",\"expirationTimestamp\":\"2030-01-01T00:00:00Z\"";
    String vault2 = "\"expirationTimestamp\":\"2030-01-01T00:00:00Z\",\"token\":\"a.b.c\"";
    String sts1 = "\"token\":\"d.e\\\\f\",\"expirationTimestamp\":\"2030-01-01T00:00:00.500Z\"";
    String sts2 = "\"expirationTimestamp\":\"2030-01-01T00:00:00.500Z\",\"token\":\"d.e\\\\f\"";
    String sts = "\"sts.\\\"x\\\"<\u00e9>\"";
    assertThat(json)
        .isIn(
            "{\"vault\":{" + vault1 + "}," + sts + ":{" + sts1 + "}}",
            "{\"vault\":{" + vault2 + "}," + sts + ":{" + sts2 + "}}");
  }

  @Test
  void attributes_areWhatUpstreamSends_andTheBackendPlansFromThem() {
    ServiceAccountToken token =
        new ServiceAccountToken(
            TestBackend.DEFAULT_AUDIENCE, Canaries.TOKEN, Instant.now().plusSeconds(600));
    Map<String, String> parameters =
        Map.of("objects", "[{\"name\":\"db/password\",\"content\":\"x\"}]");
    SyncAttributes.ControllerPod pod = new SyncAttributes.ControllerPod("sync-0", "0b7c3e52-9f0e");

    Map<String, String> attributes =
        SyncAttributes.attributes(parameters, pod, spec(), List.of(token));
    MountRequestContext request = SyncAttributes.request(parameters, pod, spec(), List.of(token));
    MountPlan<?> plan = new TestBackend().plan(request);

    assertThat(attributes)
        .containsEntry("csi.storage.k8s.io/pod.name", "sync-0")
        .containsEntry("csi.storage.k8s.io/pod.uid", "0b7c3e52-9f0e")
        .containsEntry("csi.storage.k8s.io/pod.namespace", "team-a")
        .containsEntry("csi.storage.k8s.io/serviceAccount.name", "app")
        .containsKey("csi.storage.k8s.io/serviceAccount.tokens");
    assertThat(request.pod().serviceAccountName()).isEqualTo("app");
    assertThat(request.nodePublishSecrets()).isEmpty();
    assertThat(plan.objects()).hasSize(1);
    assertThat(request.toString()).doesNotContain(Canaries.TOKEN);
  }

  @Test
  void data_mapsSourcePathsToTargetKeys_andNamesAMissingSourcePath() {
    List<FetchedFile> files =
        List.of(
            new FetchedFile(
                "db/password", FileMode.DEFAULT, Canaries.SECRET.getBytes(StandardCharsets.UTF_8)));

    SecretData data = SecretData.from(files, spec());
    assertThat(data.asMap()).containsOnlyKeys("password");
    assertThat(new String(data.asMap().get("password"), StandardCharsets.UTF_8))
        .isEqualTo(Canaries.SECRET);
    assertThat(data.toString()).doesNotContain(Canaries.SECRET);

    SecretSyncSpec other = SecretSyncSpec.parse(secretSync(opaque("db/user", "user")));
    assertThatThrownBy(() -> SecretData.from(files, other))
        .hasMessage(
            "file matching sourcePath db/user not found in the SecretProviderClass objects");
  }

  @Test
  void data_tlsSecretNeedsBothTlsKeys() {
    Map<String, Object> tls =
        Map.of(
            "type",
            "kubernetes.io/tls",
            "data",
            List.of(Map.of("sourcePath", "c", "targetKey", "tls.crt")));
    SecretSyncSpec spec = SecretSyncSpec.parse(secretSync(tls));
    assertThatThrownBy(() -> SecretData.from(List.of(), spec)).hasMessageContaining("sourcePath c");
  }

  @Test
  void hash_isKeyed_andChangesWithDataForceSynchronizationAndGenerations() {
    List<FetchedFile> files =
        List.of(
            new FetchedFile(
                "db/password", FileMode.DEFAULT, "one".getBytes(StandardCharsets.UTF_8)));
    List<FetchedFile> rotated =
        List.of(
            new FetchedFile(
                "db/password", FileMode.DEFAULT, "two".getBytes(StandardCharsets.UTF_8)));
    SyncHash hash = new SyncHash(KEY);
    SyncHash.Inputs inputs = new SyncHash.Inputs(spec(), "spc-uid", 1);
    String base = hash.of(inputs, SecretData.from(files, spec()));

    assertThat(hash.of(inputs, SecretData.from(files, spec()))).isEqualTo(base);
    assertThat(hash.of(inputs, SecretData.from(rotated, spec()))).isNotEqualTo(base);
    assertThat(hash.of(new SyncHash.Inputs(spec(), "spc-uid", 2), SecretData.from(files, spec())))
        .isNotEqualTo(base);
    GenericKubernetesResource forced = secretSync(opaque("db/password", "password"));
    SecretSyncSpec.map(forced.getAdditionalProperties().get("spec"))
        .put("forceSynchronization", "now");
    SecretSyncSpec forcedSpec = SecretSyncSpec.parse(forced);
    assertThat(
            hash.of(
                new SyncHash.Inputs(forcedSpec, "spc-uid", 1), SecretData.from(files, forcedSpec)))
        .isNotEqualTo(base);
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertThat(new SyncHash(otherKey).of(inputs, SecretData.from(files, spec())))
        .isNotEqualTo(base);
    String plainSha256 = java.util.HexFormat.of().formatHex(sha256("one"));
    assertThat(base).startsWith("hmac-sha256:").doesNotContain(plainSha256);
  }

  @Test
  void
      status_followsUpstream_unknownThenCreatedThenUpdatedThenFailed_keepingTransitionTimesOfUnchangedStatuses() {
    Instant t0 = Instant.parse("2026-11-28T09:59:59Z");
    Instant t1 = Instant.parse("2026-11-28T10:00:00Z");
    Instant t2 = t1.plus(Duration.ofMinutes(2));
    SyncStatus fresh = SyncStatus.of(null);
    assertThat(fresh.needsInitialConditions()).isTrue();
    SyncStatus started = fresh.initialized(new SyncStatus.Clocked(t0, 1));
    assertThat(started.needsInitialConditions()).isFalse();
    assertThat(started.condition(SyncStatus.CREATED))
        .containsEntry("status", "Unknown")
        .containsEntry("reason", "SyncStarting");
    assertThat(started.condition(SyncStatus.UPDATED))
        .containsEntry("status", "Unknown")
        .containsEntry("reason", "NoUpdatesAttemptedYet");
    assertThat(started.conditionType()).isEqualTo(SyncStatus.CREATED);

    SyncStatus created = started.succeeded("h1", new SyncStatus.Clocked(t1, 1));
    assertThat(created.condition(SyncStatus.CREATED))
        .containsEntry("status", "True")
        .containsEntry("reason", "CreateSuccessful")
        .containsEntry("message", "Secret created successfully.")
        .containsEntry("lastTransitionTime", t1.toString());
    assertThat(created.condition(SyncStatus.UPDATED))
        .containsEntry("status", "True")
        .containsEntry("reason", "SecretUpToDate")
        .containsEntry("message", "Secret contains last observed values.");
    assertThat(created.hasFailure()).isFalse();
    assertThat(created.conditionType()).isEqualTo(SyncStatus.UPDATED);
    assertThat(created.asMap())
        .containsEntry("syncHash", "h1")
        .containsEntry("lastSuccessfulSyncTime", t1.toString());

    SyncStatus updated =
        SyncStatus.of(created.asMap()).succeeded("h2", new SyncStatus.Clocked(t2, 2));
    assertThat(updated.condition(SyncStatus.CREATED))
        .containsEntry("lastTransitionTime", t1.toString());
    assertThat(updated.condition(SyncStatus.UPDATED))
        .containsEntry("status", "True")
        .containsEntry("reason", "SecretUpToDate")
        .containsEntry("lastTransitionTime", t1.toString());

    SyncStatus failed =
        SyncStatus.of(updated.asMap())
            .failed(SyncReason.PROVIDER_ERROR, "denied", new SyncStatus.Clocked(t2, 2));
    assertThat(failed.condition(SyncStatus.UPDATED))
        .containsEntry("status", "False")
        .containsEntry("reason", "ProviderError")
        .containsEntry("lastTransitionTime", t2.toString());
    assertThat(failed.condition(SyncStatus.CREATED)).containsEntry("status", "True");
    assertThat(failed.hasFailure()).isTrue();
    assertThat(failed.syncHash()).isEqualTo("h2");

    SyncStatus neverCreated =
        started.failed(
            SyncReason.SECRET_PROVIDER_CLASS_MISCONFIGURED, "m", new SyncStatus.Clocked(t1, 1));
    assertThat(neverCreated.condition(SyncStatus.CREATED)).containsEntry("status", "False");
    assertThat(neverCreated.condition(SyncStatus.UPDATED)).containsEntry("status", "Unknown");
  }

  @Test
  void tokens_areReusedUntilAFifthIsLeft_boundedInNumber_andForgottenPerServiceAccount() {
    java.util.concurrent.atomic.AtomicInteger minted =
        new java.util.concurrent.atomic.AtomicInteger();
    io.secretsstore.provider.testing.FakeTime clock =
        new io.secretsstore.provider.testing.FakeTime();
    TokenCache cache =
        new TokenCache(
            (ns, sa, audience, ttl) -> {
              minted.incrementAndGet();
              assertThat(ttl).isEqualTo(Duration.ofMinutes(10));
              return new ServiceAccountToken(
                  audience, "t" + minted.get(), clock.instant().plus(ttl));
            },
            TokenCache.DEFAULT_TTL,
            clock,
            2);

    cache.tokens("a", "app", List.of("aud"));
    cache.tokens("a", "app", List.of("aud"));
    assertThat(minted).hasValue(1);
    clock.advance(Duration.ofMinutes(8));
    cache.tokens("a", "app", List.of("aud"));
    assertThat(minted).hasValue(2);

    cache.tokens("b", "app", List.of("aud"));
    cache.tokens("c", "app", List.of("aud"));
    assertThat(cache.size()).isEqualTo(2);

    cache.forget("c", "app");
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.toString()).doesNotContain("t1").doesNotContain("t2");
  }

  @Test
  void syncMetrics_countReconcilesByResult_reportLeadershipAndQueueDepth_labelledByProvider()
      throws java.io.IOException {
    io.prometheus.metrics.model.registry.PrometheusRegistry registry =
        new io.prometheus.metrics.model.registry.PrometheusRegistry();
    io.secretsstore.provider.metrics.SyncMetrics metrics =
        new io.secretsstore.provider.metrics.SyncMetrics(registry, "vault");
    metrics.queueDepth(() -> 3);
    metrics.reconciled(io.secretsstore.provider.metrics.SyncMetrics.Result.CREATED);
    metrics.leading(true);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
        .write(out, registry.scrape());
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "secrets_store_provider_sync_reconciles_total{provider=\"vault\",result=\"created\"} 1.0")
        .contains(
            "secrets_store_provider_sync_reconciles_total{provider=\"vault\",result=\"error\"} 0.0")
        .contains("secrets_store_provider_sync_leader{provider=\"vault\"} 1.0")
        .contains("secrets_store_provider_sync_queue_depth{provider=\"vault\"} 3.0");
  }

  @Test
  void eventNames_stayValidObjectNames_forTheLongestSecretSyncName() {
    String longest = "a".repeat(253);
    assertThat(SyncEvents.eventName(longest))
        .hasSizeLessThanOrEqualTo(253)
        .startsWith("a".repeat(220) + ".");
    assertThat(SyncEvents.eventName("db")).matches("db\\.[0-9a-f]{32}");
    assertThat(SyncEvents.eventName("db")).isNotEqualTo(SyncEvents.eventName("db"));
  }

  @Test
  void
      secretTypes_upstreamsListWithoutBootstrapByDefault_reloadable_andNeverTheServiceAccountToken() {
    io.secretsstore.provider.spi.AllowLists lists = new io.secretsstore.provider.spi.AllowLists();
    SecretTypePolicy policy = SecretTypePolicy.declare(lists);
    for (String allowed :
        List.of(
            "Opaque",
            "kubernetes.io/basic-auth",
            "kubernetes.io/dockercfg",
            "kubernetes.io/dockerconfigjson",
            "kubernetes.io/ssh-auth",
            "kubernetes.io/tls")) {
      policy.check(allowed);
    }
    for (String refused :
        List.of(
            "bootstrap.kubernetes.io/token",
            "kubernetes.io/service-account-token",
            "example.com/api-credentials")) {
      assertThatThrownBy(() -> policy.check(refused))
          .isInstanceOfSatisfying(
              SyncFailure.class,
              e -> assertThat(e.reason()).isEqualTo(SyncReason.CONTROLLER_PATCH_ERROR))
          .hasMessageContaining("nothing was written");
    }

    lists.replace(Map.of(SecretTypePolicy.CONFIG_KEY, List.of("example.com/api-credentials")));
    policy.check("example.com/api-credentials");
    assertThatThrownBy(() -> policy.check("Opaque")).isInstanceOf(SyncFailure.class);

    assertThatThrownBy(
            () ->
                lists
                    .checks()
                    .get(SecretTypePolicy.CONFIG_KEY)
                    .apply("kubernetes.io/service-account-token"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be allowed");
    assertThatThrownBy(() -> lists.checks().get(SecretTypePolicy.CONFIG_KEY).apply("two words"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("two words");
  }

  private static byte[] sha256(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
