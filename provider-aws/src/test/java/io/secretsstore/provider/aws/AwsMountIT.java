// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static io.secretsstore.provider.aws.AwsTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ProviderFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mounts through the real provider stack on a real socket, with the real AWS SDK (SigV4, STS,
 * URLConnection client, the emulator's CA) against the AWS emulator.
 */
class AwsMountIT extends AwsBedTests {
  private static String dbVersion;

  @BeforeAll
  static void seed() throws Exception {
    dbVersion =
        bed.aws.putSecret(
            AwsTestBed.REGION,
            "app/db",
            "{\"username\":\"app-user\",\"password\":\""
                + Canaries.SECRET
                + "\",\"a-b\":\"dash\",\"port\":5432}");
    bed.aws.putParameter(AwsTestBed.REGION, "/app/key", Canaries.SECRET, true);
  }

  private ProviderFixture provider(AwsSettings settings) throws Exception {
    return provider(settings, AwsTestBed.FAST);
  }

  private ProviderFixture provider(
      AwsSettings settings, io.secretsstore.provider.fetch.EngineSettings engine) throws Exception {
    return bed.provider(settings, engine);
  }

  private ProviderFixture provider() throws Exception {
    return provider(bed.settings());
  }

  private static MountReply mount(ProviderFixture provider, Map<String, String> attributes) {
    return provider.mount(call(attributes));
  }

  private static String text(MountReply reply, int file) {
    return ProviderFixture.text(reply, file);
  }

  private void assertFails(
      ProviderFixture provider, Map<String, String> attributes, String code, String message) {
    provider.assertRejected(call(attributes), code, message);
    logs.assertNoCanary(Canaries.all());
  }

  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> copy = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      copy.put(pairs[i], pairs[i + 1]);
    }
    return copy;
  }

  @Test
  void secretsManagerAndSsm_filesModesAndVersions_asUpstream() throws Exception {
    MountReply reply =
        mount(
            provider(),
            bed.attributes(
                """
        - objectName: app/db
          objectType: secretsmanager
          filePermission: "0640"
          jmesPath:
            - path: username
              objectAlias: user
            - path: '"a-b"'
              objectAlias: dashed
              filePermission: "0400"
        - objectName: /app/key
          objectType: ssmparameter
        - objectName: %s
          objectAlias: by-arn
        """
                    .formatted(bed.aws.arn(AwsTestBed.REGION, "app/db"))));

    assertThat(reply.files())
        .extracting(MountReply.ReturnedFile::path)
        .containsExactly("app_db", "user", "dashed", "_app_key", "by-arn");
    assertThat(text(reply, 0)).contains(Canaries.SECRET);
    assertThat(text(reply, 1)).isEqualTo("app-user");
    assertThat(text(reply, 2)).isEqualTo("dash");
    assertThat(text(reply, 3)).isEqualTo(Canaries.SECRET);
    assertThat(text(reply, 4)).isEqualTo(text(reply, 0));
    assertThat(reply.files())
        .extracting(MountReply.ReturnedFile::mode)
        .containsExactly(0640, 0640, 0400, 0644, 0644);
    assertThat(reply.versions())
        .containsExactly(
            new ObjectVersion("app_db", dbVersion),
            new ObjectVersion("user", dbVersion),
            new ObjectVersion("dashed", dbVersion),
            new ObjectVersion("_app_key", "1"),
            new ObjectVersion("by-arn", dbVersion));
  }

  @Test
  void versionsAndLabels_pinSecretsAndParameters() throws Exception {
    String v1 = bed.aws.putSecret(AwsTestBed.REGION, "app/pinned", "one");
    String v2 = bed.aws.putSecret(AwsTestBed.REGION, "app/pinned", "two");
    bed.aws.labelVersion(AwsTestBed.REGION, "app/pinned", v1, "OLD");
    bed.aws.putParameter(AwsTestBed.REGION, "/app/p", "p1", false);
    bed.aws.putParameter(AwsTestBed.REGION, "/app/p", "p2", false);
    bed.aws.labelParameter(AwsTestBed.REGION, "/app/p", 1, "first");
    MountReply reply =
        mount(
            provider(),
            bed.attributes(
                """
        - {objectName: app/pinned, objectType: secretsmanager, objectAlias: current}
        - {objectName: app/pinned, objectType: secretsmanager, objectAlias: byid, objectVersion: "%s"}
        - {objectName: app/pinned, objectType: secretsmanager, objectAlias: bylabel, objectVersionLabel: OLD}
        - {objectName: /app/p, objectType: ssmparameter, objectAlias: platest}
        - {objectName: /app/p, objectType: ssmparameter, objectAlias: pv1, objectVersion: "1"}
        - {objectName: /app/p, objectType: ssmparameter, objectAlias: plabel, objectVersionLabel: first}
        - {objectName: app/pinned, objectType: secretsmanager, objectAlias: both, objectVersion: "%s", objectVersionLabel: OLD}
        - {objectName: "%s", objectAlias: pbyarn}
        """
                    .formatted(
                        v1,
                        v1,
                        "arn:aws:ssm:us-east-1:"
                            + io.secretsstore.provider.emulators.aws.AwsEmulator.ACCOUNT
                            + ":parameter/app/p")));
    assertThat(
            List.of(
                text(reply, 0),
                text(reply, 1),
                text(reply, 2),
                text(reply, 3),
                text(reply, 4),
                text(reply, 5),
                text(reply, 6),
                text(reply, 7)))
        .containsExactly("two", "one", "one", "p2", "p1", "p1", "one", "p2");
    assertThat(reply.versions())
        .extracting(ObjectVersion::version)
        .containsExactly(v2, v1, v1, "2", "1", "1", v1, "2");
    // Secrets Manager allows a version and a label together; they must name the same version.
    assertFails(
        provider(),
        bed.attributes(
            "- {objectName: app/pinned, objectType: secretsmanager, objectVersion: \"%s\", objectVersionLabel: OLD}"
                .formatted(v2)),
        "FAILED_PRECONDITION",
        "us-east-1: GetSecretValue \"app/pinned\": InvalidRequestException");
  }

  @Test
  void ssm_batchesOfTen_oneBadNameFailsAlone_andRotationIsNotHeldBack() throws Exception {
    StringBuilder objects = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      bed.aws.putParameter(AwsTestBed.REGION, "/app/batch/p" + i, "v" + i, i % 2 == 0);
      objects
          .append("- {objectName: /app/batch/p")
          .append(i)
          .append(", objectType: ssmparameter}\n");
    }
    ProviderFixture provider = provider();
    long before = bed.aws.calls().count("aws.ssm.GetParameters");
    MountReply reply = mount(provider, bed.attributes(objects.toString()));
    assertThat(reply.files()).hasSize(12);
    for (int i = 0; i < 12; i++) {
      assertThat(text(reply, i)).isEqualTo("v" + i);
    }
    assertThat(bed.aws.calls().count("aws.ssm.GetParameters") - before)
        .as("12 parameters, batches of 10")
        .isEqualTo(2);

    bed.aws.putParameter(AwsTestBed.REGION, "/app/batch/p3", "rotated", false);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              MountReply rotated = mount(provider, bed.attributes(objects.toString()));
              assertThat(text(rotated, 3)).isEqualTo("rotated");
              assertThat(rotated.versions().get(3).version()).isEqualTo("2");
            });

    assertFails(
        provider(),
        bed.attributes(objects + "- {objectName: /app/batch/missing, objectType: ssmparameter}\n"),
        "NOT_FOUND",
        "objects[12]");
  }

  @Test
  void batchGetSecretValue_behindTheFlag_twentyPerCall_pinnedAndMissingReadAlone()
      throws Exception {
    StringBuilder objects = new StringBuilder();
    List<String> versions = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      versions.add(bed.aws.putSecret(AwsTestBed.REGION, "app/bulk/s" + i, "value-" + i));
      objects
          .append("- {objectName: app/bulk/s")
          .append(i)
          .append(", objectType: secretsmanager}\n");
    }
    String pinned = bed.aws.putSecret(AwsTestBed.REGION, "app/bulk/s0", "newer");
    objects
        .append(
            "- {objectName: app/bulk/s0, objectType: secretsmanager, objectAlias: pinned, objectVersion: \"")
        .append(versions.get(0))
        .append("\"}\n");
    long batches = bed.aws.calls().count("aws.secretsmanager.BatchGetSecretValue");
    long singles = bed.aws.calls().count("aws.secretsmanager.GetSecretValue");
    MountReply reply =
        mount(
            provider(bed.settings().withBatchSecrets(true), AwsTestBed.NO_POLL),
            bed.attributes(objects.toString()));
    assertThat(reply.files()).hasSize(26);
    assertThat(text(reply, 0)).isEqualTo("newer");
    assertThat(reply.versions().get(0).version()).isEqualTo(pinned);
    for (int i = 1; i < 25; i++) {
      assertThat(text(reply, i)).isEqualTo("value-" + i);
      assertThat(reply.versions().get(i).version()).isEqualTo(versions.get(i));
    }
    assertThat(text(reply, 25)).isEqualTo("value-0");
    assertThat(bed.aws.calls().count("aws.secretsmanager.BatchGetSecretValue") - batches)
        .as("25 unpinned secrets, 20 per call")
        .isEqualTo(2);
    assertThat(bed.aws.calls().count("aws.secretsmanager.GetSecretValue") - singles)
        .as("only the pinned one alone")
        .isEqualTo(1);

    assertFails(
        provider(bed.settings().withBatchSecrets(true), AwsTestBed.NO_POLL),
        bed.attributes(objects + "- {objectName: app/bulk/missing, objectType: secretsmanager}\n"),
        "NOT_FOUND",
        "ResourceNotFoundException");
    long before = bed.aws.calls().count("aws.secretsmanager.BatchGetSecretValue");
    assertThat(
            mount(provider(bed.settings(), AwsTestBed.NO_POLL), bed.attributes(objects.toString()))
                .files())
        .hasSize(26);
    assertThat(bed.aws.calls().count("aws.secretsmanager.BatchGetSecretValue"))
        .as("off by default")
        .isEqualTo(before);
  }

  @Test
  void readiness_probesTheEndpoint() throws Exception {
    AwsBackend reachable = bed.track(bed.backend(bed.settings()));
    assertThat(reachable.readinessProblem()).isEmpty();
    java.net.ServerSocket closed = new java.net.ServerSocket(0);
    int port = closed.getLocalPort();
    closed.close();
    AwsBackend unreachable =
        bed.track(
            bed.backend(
                AwsSettings.of(
                    java.net.URI.create("https://127.0.0.1:" + port),
                    null,
                    "us-east-1",
                    Map.of())));
    assertThat(unreachable.readinessProblem()).contains("cannot reach AWS at 127.0.0.1:" + port);
  }

  @Test
  void pathTranslationOff_nestedFiles_leadingSlashStripped() throws Exception {
    MountReply reply =
        mount(
            provider(),
            bed.attributes(
                """
        - {objectName: /app/key, objectType: ssmparameter}
        - {objectName: app/db, objectType: secretsmanager, objectAlias: conf/db/all, jmesPath: [{path: username, objectAlias: conf/db/user}]}
        """,
                "pathTranslation",
                "False"));
    assertThat(reply.files())
        .extracting(MountReply.ReturnedFile::path)
        .containsExactly("app/key", "conf/db/all", "conf/db/user");
    assertThat(text(reply, 2)).isEqualTo("app-user");
    assertThat(reply.versions())
        .extracting(ObjectVersion::id)
        .containsExactly("app/key", "conf/db/all", "conf/db/user");
  }

  @Test
  void binarySecret_writtenRaw() throws Exception {
    byte[] raw = {0, 1, 2, (byte) 0xff, 10};
    bed.aws.putSecretBinary(AwsTestBed.REGION, "app/bin", raw);
    MountReply reply =
        mount(provider(), bed.attributes("- {objectName: app/bin, objectType: secretsmanager}\n"));
    assertThat(reply.files().get(0).contents()).isEqualTo(raw);
  }

  @Test
  void badParameters_invalidArgument_noAwsCall() throws Exception {
    ProviderFixture provider = provider();
    long calls = bed.aws.calls().total();
    Map<String, String> base =
        bed.attributes("- {objectName: app/db, objectType: secretsmanager}\n");
    assertFails(
        provider,
        with(base, "objects", "- objectName: a\n"),
        "INVALID_ARGUMENT",
        "Must use objectType when a full ARN is not specified");
    assertFails(
        provider,
        with(base, "objects", "- {objectName: \"" + Canaries.SECRET + " x\", objectType: ssm}"),
        "INVALID_ARGUMENT",
        "Invalid objectType");
    assertFails(
        provider,
        with(base, "pathTranslation", "ab"),
        "INVALID_ARGUMENT",
        "pathTranslation must be either 'False' or a single character string");
    assertFails(
        provider,
        with(base, "failoverRegion", "us-east-1"),
        "INVALID_ARGUMENT",
        "failoverRegion must be different from region");
    assertFails(
        provider,
        with(
            base,
            "objects",
            "- {objectName: a, objectType: secretsmanager, filePermission: \""
                + Canaries.SECRET
                + "\"}"),
        "INVALID_ARGUMENT",
        "Invalid File Permission");
    assertFails(
        provider,
        with(
            base,
            "objects",
            "- {objectName: a, objectType: secretsmanager, objectAlias: ../x}",
            "pathTranslation",
            "False"),
        "INVALID_ARGUMENT",
        "path can not contain ../");
    assertFails(
        provider,
        with(base, "csi.storage.k8s.io/serviceAccount.tokens", Canaries.tokensJson("vault")),
        "UNAUTHENTICATED",
        "CSI token error");
    assertThat(bed.aws.calls().total()).as("no AWS call for bad input").isEqualTo(calls);
  }

  @Test
  void awsErrors_mapToCodes_nameTheObject_neverTheValue() throws Exception {
    ProviderFixture provider = provider();
    assertFails(
        provider,
        bed.attributes("- {objectName: app/missing, objectType: secretsmanager}\n"),
        "NOT_FOUND",
        "ResourceNotFoundException");
    assertFails(
        provider,
        bed.attributes("- {objectName: other/x, objectType: secretsmanager}\n"),
        "PERMISSION_DENIED",
        "us-east-1: GetSecretValue");
    assertFails(
        provider,
        bed.attributes("- {objectName: /app/missing, objectType: ssmparameter}\n"),
        "NOT_FOUND",
        "us-east-1: GetParameters \"/app/missing\": Invalid parameters");
    assertFails(
        provider,
        bed.attributes(
            "- {objectName: app/db, objectType: secretsmanager, jmesPath: [{path: port, objectAlias: p}]}\n"),
        "FAILED_PRECONDITION",
        "Only string is allowed");
    assertFails(
        provider,
        bed.attributes(
            "- {objectName: app/db, objectType: secretsmanager, jmesPath: [{path: nope, objectAlias: p}]}\n"),
        "FAILED_PRECONDITION",
        "does not point to a valid object");
    assertFails(
        provider,
        bed.attributes(
            "- {objectName: /app/key, objectType: ssmparameter, jmesPath: [{path: x, objectAlias: p}]}\n"),
        "FAILED_PRECONDITION",
        "not valid JSON");
  }

  @Test
  void forgedOrUnmappedIdentity_refused() throws Exception {
    Map<String, String> forged =
        with(
            bed.attributes("- {objectName: app/db, objectType: secretsmanager}\n"),
            "csi.storage.k8s.io/serviceAccount.tokens",
            Canaries.tokensJson(Logins.IRSA_AUDIENCE));
    assertFails(provider(), forged, "PERMISSION_DENIED", "AssumeRoleWithWebIdentity");
    Map<String, String> unmapped =
        bed.attributesOf("other", "- {objectName: app/db, objectType: secretsmanager}\n");
    assertFails(
        provider(bed.settings()), unmapped, "FAILED_PRECONDITION", "use --aws-role-arn-for");
  }

  @Test
  void hundredMounts_oneIdentity_oneStsCall() throws Exception {
    ProviderFixture provider = provider();
    int before = bed.aws.stsCalls();
    for (int i = 0; i < 100; i++) {
      Map<String, String> attributes =
          bed.attributes(
              "- {objectName: app/db, objectType: secretsmanager}\n- {objectName: /app/key, objectType: ssmparameter}\n");
      assertThat(mount(provider, attributes).files()).hasSize(2);
    }
    assertThat(bed.aws.stsCalls() - before).isEqualTo(1);
  }

  @Test
  void concurrentMounts_oneIdentity_shareOneLogin_andRenewNearExpiry() throws Exception {
    MutableClock clock = new MutableClock();
    // No background refreshes: every login counted below is a mount's own.
    ProviderFixture provider = bed.provider(bed.backend(bed.settings(), clock), AwsTestBed.NO_POLL);
    int before = bed.aws.stsCalls();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<MountReply>> replies = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        Map<String, String> attributes =
            bed.attributes("- {objectName: app/db, objectType: secretsmanager}\n");
        replies.add(pool.submit(() -> mount(provider, attributes)));
      }
      for (java.util.concurrent.Future<MountReply> reply : replies) {
        assertThat(reply.get().files()).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(bed.aws.stsCalls() - before).isEqualTo(1);
    // 25 s (or less) before the one-hour session ends it is no longer handed out: the next fetch
    // logs in
    // again. The emulator dates the session from the real time of the login, so the clock moves to
    // that (now, not the test's start, which a loaded machine may have left seconds behind).
    clock.set(java.time.Instant.now().plus(Duration.ofHours(1)).minusSeconds(25));
    bed.aws.putSecret(AwsTestBed.REGION, "app/late", "late");
    assertThat(
            text(
                mount(
                    provider,
                    bed.attributes("- {objectName: app/late, objectType: secretsmanager}\n")),
                0))
        .isEqualTo("late");
    assertThat(bed.aws.stsCalls() - before).isEqualTo(2);
  }

  /** A clock tests move forward. */
  private static final class MutableClock extends java.time.Clock {
    private volatile java.time.Instant now = java.time.Instant.now();

    void set(java.time.Instant instant) {
      now = instant;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  @Test
  void podIdentity_agentCredentials_cachedToo() throws Exception {
    ProviderFixture provider = provider();
    long before = bed.aws.calls().count("aws.podidentity.credentials");
    int sts = bed.aws.stsCalls();
    for (int i = 0; i < 5; i++) {
      MountReply reply =
          mount(
              provider,
              bed.attributes(
                  "- {objectName: /app/key, objectType: ssmparameter}\n",
                  "usePodIdentity",
                  "true"));
      assertThat(text(reply, 0)).isEqualTo(Canaries.SECRET);
    }
    assertThat(bed.aws.calls().count("aws.podidentity.credentials") - before).isEqualTo(1);
    assertThat(bed.aws.stsCalls()).isEqualTo(sts);
  }

  @Test
  void failover_onlyOnRetryableErrors() throws Exception {
    String failoverValue = "from-" + AwsTestBed.FAILOVER;
    bed.aws.putSecret(AwsTestBed.REGION, "app/fo", "from-primary");
    bed.aws.putSecret(AwsTestBed.FAILOVER, "app/fo-replica", failoverValue);
    String objects =
        """
        - objectName: %s
          objectAlias: fo
          failoverObject:
            objectName: %s
        """
            .formatted(
                bed.aws.arn(AwsTestBed.REGION, "app/fo"),
                bed.aws.arn(AwsTestBed.FAILOVER, "app/fo-replica"));
    Map<String, String> attributes = bed.attributes(objects, "failoverRegion", AwsTestBed.FAILOVER);
    ProviderFixture provider = provider();
    assertThat(text(mount(provider, attributes), 0)).isEqualTo("from-primary");

    bed.aws
        .faults()
        .inject("aws.secretsmanager.GetSecretValue", "app/fo", Fault.error(503), FaultPlan.ALWAYS);
    assertThat(text(mount(provider(), attributes), 0)).isEqualTo(failoverValue);

    bed.aws.faults().clear();
    // STS down in the primary region: the login is retried in the failover region.
    int sts = bed.aws.stsCalls();
    bed.aws.faults().inject("aws.sts.AssumeRoleWithWebIdentity", Fault.error(503), 1);
    assertThat(text(mount(provider(), attributes), 0)).isEqualTo("from-primary");
    assertThat(bed.aws.stsCalls() - sts).isEqualTo(2);

    bed.aws.faults().clear();
    bed.aws
        .faults()
        .inject("aws.secretsmanager.GetSecretValue", "app/fo", Fault.error(400), FaultPlan.ALWAYS);
    ProviderFixture fresh = provider();
    // A 4xx answer never falls over: the mount fails with the primary's error.
    assertThatThrownBy(() -> mount(fresh, attributes))
        .isInstanceOfSatisfying(
            ProviderCallException.class,
            e -> {
              assertThat(e.code()).isEqualTo("FAILED_PRECONDITION");
              assertThat(e.description())
                  .contains("us-east-1: GetSecretValue")
                  .doesNotContain("all regions")
                  .doesNotContain(AwsTestBed.FAILOVER);
            });
  }
}
