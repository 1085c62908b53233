// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import static io.secretsstore.provider.gcp.GcpTestBed.PROJECT;
import static io.secretsstore.provider.gcp.GcpTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mounts through the real provider stack on a real socket, with the real Google Secret Manager
 * client (gRPC over TLS, per-call OAuth credentials) and the real token exchange and impersonation
 * against the GCP emulator.
 */
class GcpMountIT {
  private static GcpTestBed bed;
  private static long dbVersion;

  @RegisterExtension final LogCapture logs = new LogCapture();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startBed() throws Exception {
    bed = new GcpTestBed();
    dbVersion =
        bed.gcp.addVersion(
            PROJECT + "/secrets/app-db",
            "{\"username\":\"app-user\",\"password\":\"" + Canaries.SECRET + "\",\"port\":5432}");
    bed.gcp.addVersion(
        PROJECT + "/secrets/app-yaml",
        "user: yaml-user\npassword: " + Canaries.SECRET + "\nlist: [1, 2]\n");
    bed.gcp.addVersion(PROJECT + "/secrets/app-plain", "first");
    bed.gcp.addVersion(PROJECT + "/secrets/app-plain", Canaries.SECRET);
    bed.gcp.addVersion(PROJECT + "/secrets/gsa-key", "impersonated-" + Canaries.SECRET);
    bed.gcp.addVersion(
        PROJECT + "/locations/us-central1/secrets/regional", "central-" + Canaries.SECRET);
    bed.gcp.addVersion(
        PROJECT + "/locations/europe-west4/secrets/regional", "west-" + Canaries.SECRET);
    bed.gcp.addVersion(PROJECT + "/secrets/app-states", "v1");
    bed.gcp.addVersion(PROJECT + "/secrets/app-states", "v2");
    bed.gcp.addVersion(PROJECT + "/secrets/app-states", "v3");
    bed.gcp.disable(PROJECT + "/secrets/app-states", 2);
    bed.gcp.destroy(PROJECT + "/secrets/app-states", 3);
  }

  @AfterAll
  static void stopBed() throws Exception {
    bed.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    bed.gcp.faults().clear();
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    logs.assertNoCanary(bed.canaries());
    assertThat(logs.text()).as("no Google access token in the logs").doesNotContain("ya29.");
  }

  private ProviderFixture provider(GcpSettings settings) throws Exception {
    GcpBackend backend = bed.backend(settings);
    ProviderFixture fixture = ProviderFixture.start(backend, ProviderFixture.FAST);
    closeables.add(fixture);
    closeables.add(backend);
    return fixture;
  }

  private ProviderCallException rejected(
      ProviderFixture provider, Map<String, String> attributes, String code, String message) {
    ProviderCallException e = provider.assertRejected(call(attributes), code, message);
    LogCaptureHelp.assertClean(e.description(), bed);
    return e;
  }

  @Test
  void directFederatedAccess_filesModesPathsAndVersions_asUpstream() throws Exception {
    long impersonations = bed.gcp.calls().count("gcp.iamcredentials.generateAccessToken");
    MountReply reply =
        provider(bed.settings())
            .mount(
                call(
                    bed.attributes(
                        """
        - resourceName: projects/emulator-project/secrets/app-plain/versions/latest
          fileName: plain
        - resourceName: projects/emulator-project/secrets/app-plain/versions/1
          fileName: ignored-because-path-wins
          path: nested/dir/first.txt
          mode: 0400
        - resourceName: projects/emulator-project/secrets/app-db/versions/latest
          path: db.json
          mode: 256
        """)));

    assertThat(reply.files())
        .extracting(MountReply.ReturnedFile::path)
        .containsExactly("plain", "nested/dir/first.txt", "db.json");
    assertThat(ProviderFixture.text(reply, 0)).isEqualTo(Canaries.SECRET);
    assertThat(ProviderFixture.text(reply, 1)).isEqualTo("first");
    assertThat(ProviderFixture.text(reply, 2)).contains("app-user");
    assertThat(reply.files())
        .extracting(MountReply.ReturnedFile::mode)
        .containsExactly(0644, 0400, 0400);
    assertThat(reply.versions())
        .containsExactly(
            new ObjectVersion(
                PROJECT + "/secrets/app-plain/versions/latest",
                PROJECT + "/secrets/app-plain/versions/2"),
            new ObjectVersion(
                PROJECT + "/secrets/app-plain/versions/1",
                PROJECT + "/secrets/app-plain/versions/1"),
            new ObjectVersion(
                PROJECT + "/secrets/app-db/versions/latest",
                PROJECT + "/secrets/app-db/versions/" + dbVersion));
    assertThat(bed.gcp.calls().count("gcp.iamcredentials.generateAccessToken") - impersonations)
        .as("no impersonation")
        .isZero();
  }

  @Test
  void impersonation_readsWhatTheGoogleServiceAccountMay_andTheWorkloadMayNot() throws Exception {
    long impersonations = bed.gcp.calls().count("gcp.iamcredentials.generateAccessToken");
    MountReply reply =
        provider(bed.impersonating())
            .mount(
                call(
                    bed.attributes(
                        """
        - resourceName: projects/emulator-project/secrets/gsa-key/versions/latest
          fileName: key
        """)));
    assertThat(ProviderFixture.text(reply, 0)).isEqualTo("impersonated-" + Canaries.SECRET);
    assertThat(bed.gcp.calls().count("gcp.iamcredentials.generateAccessToken") - impersonations)
        .isEqualTo(1);

    // Without impersonation the workload's own identity has no access to it.
    rejected(
        provider(bed.settings()),
        bed.attributes(
            """
        - resourceName: projects/emulator-project/secrets/gsa-key/versions/latest
          fileName: key
        """),
        "PERMISSION_DENIED",
        "AccessSecretVersion: PERMISSION_DENIED");
  }

  @Test
  void impersonation_ofAnAccountTheWorkloadMayNotUse_isPermissionDenied() throws Exception {
    String other = "other@emulator-project.iam.gserviceaccount.com";
    bed.gcp.addServiceAccount(other);
    rejected(
        provider(bed.settings(Map.of(GcpTestBed.NAMESPACE + "/app", other))),
        bed.attributes(
            """
        - resourceName: projects/emulator-project/secrets/gsa-key/versions/latest
          fileName: key
        """),
        "PERMISSION_DENIED",
        "unable to fetch gcp service account token: generateAccessToken for "
            + other
            + " answered HTTP 403 (PERMISSION_DENIED)");
  }

  @Test
  void regionalSecrets_useOneClientPerLocation_evenUnderConcurrentMounts() throws Exception {
    GcpBackend backend = bed.backend(bed.impersonating());
    closeables.add(backend);
    ProviderFixture provider = ProviderFixture.start(backend, ProviderFixture.FAST);
    closeables.add(provider);
    String secrets =
        """
        - resourceName: projects/emulator-project/locations/us-central1/secrets/regional/versions/latest
          fileName: central
        - resourceName: projects/emulator-project/locations/europe-west4/secrets/regional/versions/1
          fileName: west
        - resourceName: projects/emulator-project/secrets/gsa-key/versions/1
          fileName: global
        """;
    List<Thread> threads = new ArrayList<>();
    List<MountReply> replies = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      Thread thread = new Thread(() -> replies.add(provider.mount(call(bed.attributes(secrets)))));
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(30).toMillis());
    }
    assertThat(replies).hasSize(8);
    for (MountReply reply : replies) {
      assertThat(ProviderFixture.text(reply, 0)).isEqualTo("central-" + Canaries.SECRET);
      assertThat(ProviderFixture.text(reply, 1)).isEqualTo("west-" + Canaries.SECRET);
      assertThat(reply.versions().get(0).version())
          .isEqualTo(PROJECT + "/locations/us-central1/secrets/regional/versions/1");
    }
    assertThat(backend.clientCount()).as("global, us-central1 and europe-west4").isEqualTo(3);
  }

  @Test
  void extraction_jsonAndYamlKeys_replaceTheContent() throws Exception {
    MountReply reply =
        provider(bed.settings())
            .mount(
                call(
                    bed.attributes(
                        """
        - resourceName: projects/emulator-project/secrets/app-db/versions/latest
          fileName: user
          extractJSONKey: username
        - resourceName: projects/emulator-project/secrets/app-db/versions/latest
          fileName: password
          extractJSONKey: password
        - resourceName: projects/emulator-project/secrets/app-yaml/versions/latest
          fileName: yaml-user
          extractYAMLKey: user
        """)));
    assertThat(reply.files()).hasSize(3);
    assertThat(ProviderFixture.text(reply, 0)).isEqualTo("app-user");
    assertThat(ProviderFixture.text(reply, 1)).isEqualTo(Canaries.SECRET);
    assertThat(ProviderFixture.text(reply, 2)).isEqualTo("yaml-user");
    assertThat(reply.versions())
        .extracting(ObjectVersion::id)
        .containsExactly(
            PROJECT + "/secrets/app-db/versions/latest",
            PROJECT + "/secrets/app-db/versions/latest@password",
            PROJECT + "/secrets/app-yaml/versions/latest");
  }

  @Test
  void extraction_failures_areNamedWithoutTheContent() throws Exception {
    ProviderFixture provider = provider(bed.settings());
    rejected(
        provider,
        bed.attributes(
            """
        - resourceName: projects/emulator-project/secrets/app-db/versions/latest
          fileName: x
          extractJSONKey: missing
        """),
        "FAILED_PRECONDITION",
        "key 'missing' not found in JSON");
    rejected(
        provider,
        bed.attributes(
            """
        - resourceName: projects/emulator-project/secrets/app-db/versions/latest
          fileName: x
          extractJSONKey: port
        """),
        "FAILED_PRECONDITION",
        "unsupported value type for key 'port'");
    rejected(
        provider,
        bed.attributes(
            """
        - resourceName: projects/emulator-project/secrets/app-plain/versions/latest
          fileName: x
          extractJSONKey: user
        """),
        "FAILED_PRECONDITION",
        "Invalid JSON format for key extraction");
    rejected(
        provider,
        bed.attributes(
            """
        - resourceName: projects/emulator-project/secrets/app-yaml/versions/latest
          fileName: x
          extractYAMLKey: list
        """),
        "FAILED_PRECONDITION",
        "unsupported value type for key 'list'");
    rejected(
        provider,
        bed.attributes(
            """
        - resourceName: projects/emulator-project/secrets/app-db/versions/latest
          fileName: x
          extractJSONKey: username
          extractYAMLKey: username
        """),
        "INVALID_ARGUMENT",
        "both ExtractJSONKey and ExtractYAMLKey can't be simultaneously non empty strings");
  }

  @Test
  void perObjectFailures_areMergedIntoOneStatusNamingEachObject() throws Exception {
    ProviderCallException e =
        rejected(
            provider(bed.settings()),
            bed.attributes(
                """
        - resourceName: projects/emulator-project/secrets/app-plain/versions/latest
          fileName: ok
        - resourceName: projects/emulator-project/secrets/app-missing/versions/latest
          fileName: missing
        - resourceName: projects/emulator-project/secrets/app-states/versions/2
          fileName: disabled
        - resourceName: projects/emulator-project/secrets/app-states/versions/3
          fileName: destroyed
        """),
            "NOT_FOUND",
            "3 of 4 objects could not be fetched");
    assertThat(e.description())
        .contains(
            "objects[1] (\""
                + PROJECT
                + "/secrets/app-missing/versions/latest\"): AccessSecretVersion: NOT_FOUND")
        .contains(
            "objects[2] (\""
                + PROJECT
                + "/secrets/app-states/versions/2\"): AccessSecretVersion: FAILED_PRECONDITION")
        .contains(
            "objects[3] (\""
                + PROJECT
                + "/secrets/app-states/versions/3\"): AccessSecretVersion: FAILED_PRECONDITION")
        .doesNotContain("app-plain");
  }

  @Test
  void configurationErrors_areInvalidArgument_andNameTheKey() throws Exception {
    ProviderFixture provider = provider(bed.settings());
    rejected(
        provider, bed.attributes(null), "INVALID_ARGUMENT", "missing required 'secrets' attribute");
    rejected(
        provider,
        bed.attributes("- resourceName: projects/p/secrets/s\n  fileName: x\n"),
        "INVALID_ARGUMENT",
        "secrets[0] (\"projects/p/secrets/s\"): unknown resource type");
    rejected(
        provider,
        bed.attributes(
            "- resourceName: projects/p/locations/this-location-is-far-too-long-for-google/secrets/s/versions/1\n  fileName: x\n"),
        "INVALID_ARGUMENT",
        "Invalid location");
    rejected(
        provider,
        bed.attributes(
            "- resourceName: projects/p/locations/global/parameters/p/versions/v1\n  fileName: x\n"),
        "INVALID_ARGUMENT",
        "Parameter Manager versions are not supported");
    rejected(
        provider,
        bed.attributes("- ResourceName: projects/p/secrets/s/versions/1\n  fileName: x\n"),
        "INVALID_ARGUMENT",
        "secrets[0] has an unknown field \"ResourceName\"");
    rejected(
        provider,
        bed.attributes("- resourceName: projects/p/secrets/s/versions/1\n"),
        "INVALID_ARGUMENT",
        "fileName or path must be set");
    rejected(
        provider,
        bed.attributes(
            "- resourceName: projects/p/secrets/s/versions/1\n  fileName: x\n  mode: 01000\n"),
        "INVALID_ARGUMENT",
        "mode must be between 0 and 0777");
    rejected(
        provider,
        bed.attributes("- resourceName: projects/p/secrets/s/versions/1\n  path: ../escape\n"),
        "INVALID_ARGUMENT",
        "objects[0]");
    rejected(
        provider,
        bed.attributes(
            "- resourceName: projects/p/secrets/s/versions/1\n  fileName: x\n", "auth", "node-adc"),
        "INVALID_ARGUMENT",
        "unknown auth configuration");
    ProviderCallException merged =
        rejected(
            provider,
            bed.attributes(
                """
        - resourceName: projects/p/secrets/s
          fileName: a
        - resourceName: projects/p/secrets/s/versions/1
          fileName: b
        - resourceName: projects/p/secrets/t/versions/1
          fileName: c
          mode: "rw"
        """),
            "INVALID_ARGUMENT",
            "2 of 3 secrets are invalid");
    assertThat(merged.description())
        .contains("secrets[0]")
        .contains("secrets[2]")
        .doesNotContain("secrets[1]");
  }

  @Test
  void aMissingOrExpiredPodToken_isUnauthenticated_andRefusalsByGoogle_arePermissionDenied()
      throws Exception {
    ProviderFixture provider = provider(bed.settings());
    String secrets =
        "- resourceName: projects/emulator-project/secrets/app-plain/versions/latest\n  fileName: x\n";
    long exchanges = bed.gcp.calls().count("gcp.sts.token");
    Map<String, String> noToken = new HashMap<>(bed.attributes(secrets));
    noToken.remove("csi.storage.k8s.io/serviceAccount.tokens");
    rejected(
        provider,
        noToken,
        "UNAUTHENTICATED",
        "no service account token for audience \"emulator-project.svc.id.goog\"");
    Map<String, String> pastExpiry = new HashMap<>(bed.attributes(secrets));
    pastExpiry.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        GcpTestBed.json(
            Map.of(
                "emulator-project.svc.id.goog",
                Map.of("token", bed.token("app"), "expirationTimestamp", "2020-01-01T00:00:00Z"))));
    rejected(
        provider,
        pastExpiry,
        "UNAUTHENTICATED",
        "the service account token for audience \"emulator-project.svc.id.goog\" has expired");
    assertThat(bed.gcp.calls().count("gcp.sts.token"))
        .as("no exchange without a usable token")
        .isEqualTo(exchanges);

    Map<String, String> expired = new HashMap<>(bed.attributes(secrets));
    expired.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        GcpTestBed.tokens(
            Map.of(
                "emulator-project.svc.id.goog",
                bed.gcp.mintServiceAccountToken(
                    GcpTestBed.NAMESPACE,
                    "app",
                    "emulator-project.svc.id.goog",
                    Duration.ofSeconds(-5)))));
    rejected(
        provider,
        expired,
        "PERMISSION_DENIED",
        "could not get idbindtoken token, status: 400 (invalid_grant)");

    Map<String, String> stranger = new HashMap<>(bed.attributes(secrets));
    stranger.put("csi.storage.k8s.io/serviceAccount.name", "stranger");
    stranger.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        GcpTestBed.tokens(Map.of("emulator-project.svc.id.goog", bed.token("stranger"))));
    rejected(provider, stranger, "PERMISSION_DENIED", "AccessSecretVersion: PERMISSION_DENIED");

    // Asking for the provider's identity without the operator's flag is a configuration error.
    rejected(
        provider,
        bed.attributes(secrets, "auth", "provider-adc"),
        "INVALID_ARGUMENT",
        "auth provider-adc is disabled: the operator enables it with --gcp-allow-provider-adc (chart value secrets-store-provider-gcp: extraArgs)");
  }

  @Test
  void nodePublishSecretKey_isIgnoredUnlessAllowed_andExcludesAnExplicitAuth() throws Exception {
    String secrets =
        "- resourceName: projects/emulator-project/secrets/app-plain/versions/latest\n  fileName: x\n";
    String nodePublish =
        GcpTestBed.json(
            Map.of(
                "key.json",
                "{\"type\":\"service_account\",\"private_key\":\""
                    + Canaries.NODE_PUBLISH
                    + "\"}"));
    // Not allowed: the key is ignored and the pod's own identity mounts (upstream since v1.7.0).
    ProviderFixture provider = provider(bed.settings());
    assertThat(ProviderFixture.text(provider.mount(call(bed.attributes(secrets), nodePublish)), 0))
        .isEqualTo(Canaries.SECRET);

    ProviderFixture allowed = provider(bed.settings().withOptIns(true, false, false));
    ProviderCallException both =
        allowed.assertRejected(
            call(bed.attributes(secrets, "auth", "pod-adc"), nodePublish),
            "INVALID_ARGUMENT",
            "attempting to set both nodePublishSecretRef and pod-adc auth");
    LogCaptureHelp.assertClean(both.description(), bed);
    // Allowed and chosen: a key whose token_uri is not Google's is refused before any call.
    String foreign =
        GcpTestBed.json(
            Map.of(
                "key.json",
                "{\"type\":\"service_account\",\"token_uri\":\"https://attacker.example/token\","
                    + "\"private_key\":\""
                    + Canaries.NODE_PUBLISH
                    + "\"}"));
    ProviderCallException refused =
        allowed.assertRejected(
            call(bed.attributes(secrets), foreign),
            "PERMISSION_DENIED",
            "token_uri must be https://oauth2.googleapis.com/token");
    LogCaptureHelp.assertClean(refused.description(), bed);
  }

  @Test
  void nodePublishSecretKey_whenAllowed_readsAsTheKeysServiceAccount_withOneTokenPerKey()
      throws Exception {
    String account = "keyed@emulator-project.iam.gserviceaccount.com";
    String keyJson = bed.gcp.serviceAccountKey(account);
    String privateKeyLine =
        tools.jackson.databind.json.JsonMapper.shared()
            .readTree(keyJson)
            .path("private_key")
            .asString()
            .split("\n")[1];
    bed.plantCanary(privateKeyLine);
    bed.gcp.grant(
        io.secretsstore.provider.emulators.gcp.GcpEmulator.serviceAccountMember(account),
        PROJECT + "/secrets/keyed-");
    bed.gcp.addVersion(PROJECT + "/secrets/keyed-value", "keyed-" + Canaries.SECRET);
    ProviderFixture provider =
        provider(
            bed.settings()
                .withOptIns(true, false, false)
                .withOauthTokenEndpoint(
                    java.net.URI.create(bed.started.settings().get("GCP_OAUTH_TOKEN_ENDPOINT"))));
    String nodePublish = GcpTestBed.json(Map.of("key.json", keyJson));
    long tokens = bed.gcp.calls().count("gcp.oauth.token");
    long exchanges = bed.gcp.calls().count("gcp.sts.token");
    for (int i = 0; i < 3; i++) {
      MountReply reply =
          provider.mount(
              call(
                  bed.attributes(
                      "- resourceName: projects/emulator-project/secrets/keyed-value/versions/latest\n  fileName: v"
                          + i
                          + "\n"),
                  nodePublish));
      assertThat(ProviderFixture.text(reply, 0)).isEqualTo("keyed-" + Canaries.SECRET);
    }
    assertThat(bed.gcp.calls().count("gcp.oauth.token") - tokens)
        .as("one key login for three mounts")
        .isEqualTo(1);
    assertThat(bed.gcp.calls().count("gcp.sts.token") - exchanges)
        .as("the pod's token is not used")
        .isZero();
  }

  @Test
  void oneHundredMounts_ofOneIdentity_causeOneTokenExchange() throws Exception {
    // No background refresh during the test, so every read below is a mount's own.
    GcpBackend backend = bed.backend(bed.impersonating());
    closeables.add(backend);
    ProviderFixture provider = ProviderFixture.start(backend, GcpTestBed.QUIET);
    closeables.add(provider);
    for (int i = 0; i < 100; i++) {
      bed.gcp.addVersion(PROJECT + "/secrets/gsa-many-" + i, "value-" + i);
    }
    long exchanges = bed.gcp.calls().count("gcp.sts.token");
    long impersonations = bed.gcp.calls().count("gcp.iamcredentials.generateAccessToken");
    long reads = bed.gcp.calls().count("gcp.secretmanager.AccessSecretVersion");
    for (int i = 0; i < 100; i++) {
      MountReply reply =
          provider.mount(
              call(
                  bed.attributes(
                      "- resourceName: projects/emulator-project/secrets/gsa-many-"
                          + i
                          + "/versions/latest\n  fileName: value\n")));
      assertThat(ProviderFixture.text(reply, 0)).isEqualTo("value-" + i);
    }
    assertThat(bed.gcp.calls().count("gcp.secretmanager.AccessSecretVersion") - reads)
        .as("every mount read its own secret")
        .isEqualTo(100);
    assertThat(bed.gcp.calls().count("gcp.sts.token") - exchanges)
        .as("token exchanges")
        .isEqualTo(1);
    assertThat(bed.gcp.calls().count("gcp.iamcredentials.generateAccessToken") - impersonations)
        .as("impersonations")
        .isEqualTo(1);
  }

  @Test
  void aRevokedToken_isDroppedAfterTheDenial_andTheNextMountLogsInAgain() throws Exception {
    ProviderFixture provider = provider(bed.settings());
    bed.gcp.addVersion(PROJECT + "/secrets/app-revoked", "r");
    String secrets =
        "- resourceName: projects/emulator-project/secrets/app-revoked/versions/1\n  fileName: x\n";
    provider.mount(call(bed.attributes(secrets)));
    bed.gcp.expireAccessTokens();
    long exchanges = bed.gcp.calls().count("gcp.sts.token");
    String other =
        "- resourceName: projects/emulator-project/secrets/app-plain/versions/1\n  fileName: y\n";
    rejected(
        provider,
        bed.attributes(other),
        "PERMISSION_DENIED",
        "AccessSecretVersion: UNAUTHENTICATED");
    assertThat(ProviderFixture.text(provider.mount(call(bed.attributes(other))), 0))
        .isEqualTo("first");
    assertThat(bed.gcp.calls().count("gcp.sts.token") - exchanges).isEqualTo(1);
  }
}
