// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static io.secretsstore.provider.aws.AwsTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core's engine scenarios with the real backend, the real SDK and the emulator behind the socket,
 * with injected latency and throttling: identity isolation, rotation after one poll interval, and
 * 429 ending as RESOURCE_EXHAUSTED within the engine's attempt budget (the SDK does not retry
 * underneath), then recovering.
 */
class AwsEngineScenariosIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String INTRUDER_ROLE = "arn:aws:iam::111122223333:role/intruder";
  @RegisterExtension final LogCapture logs = new LogCapture();
  private AwsTestBed bed;
  private AwsBackend backend;
  private ProviderFixture provider;

  @BeforeEach
  void start() throws Exception {
    bed = new AwsTestBed();
    bed.aws.putSecret(AwsTestBed.REGION, "app/config", Canaries.SECRET);
    bed.aws.addRole(INTRUDER_ROLE, Logins.IRSA_AUDIENCE, "system:serviceaccount:team-a:intruder");
    bed.aws.allow(INTRUDER_ROLE, "intruder/");
    AwsSettings base = bed.settings();
    backend =
        bed.backend(
            base.withRoleArnFor(
                Map.of("team-a/app", AwsTestBed.ROLE, "team-a/intruder", INTRUDER_ROLE)));
    provider = ProviderFixture.start(backend, AwsTestBed.FAST);
    bed.aws.faults().inject(FaultPlan.ANY_OPERATION, Fault.latency(Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() throws Exception {
    provider.close();
    backend.close();
    bed.close();
  }

  private static final String OBJECTS = "- {objectName: app/config, objectType: secretsmanager}";

  private MountReply mount(String serviceAccount) {
    Map<String, String> attributes = new HashMap<>(bed.attributes(OBJECTS));
    attributes.put("csi.storage.k8s.io/serviceAccount.name", serviceAccount);
    attributes.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        AwsTestBed.tokens(
            Map.of(
                Logins.IRSA_AUDIENCE,
                bed.aws.mintWebIdentityToken(
                    AwsTestBed.NAMESPACE,
                    serviceAccount,
                    Logins.IRSA_AUDIENCE,
                    Duration.ofHours(1)))));
    return provider.client().mount(call(attributes), TIMEOUT);
  }

  private static String text(MountReply reply) {
    return new String(reply.files().get(0).contents(), StandardCharsets.UTF_8);
  }

  @Test
  void isolation_aDeniedServiceAccountNeverGetsTheAllowedOnesCachedValue() {
    assertThat(text(mount("app"))).isEqualTo(Canaries.SECRET);
    long reads = bed.aws.calls().count("aws.secretsmanager.GetSecretValue");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> mount("intruder"))
          .isInstanceOfSatisfying(
              ProviderCallException.class,
              e -> {
                assertThat(e.code()).isEqualTo("PERMISSION_DENIED");
                assertThat(e.description()).contains("AccessDeniedException");
                LogCapture.assertNoCanaryIn(e.description(), Canaries.all());
              });
    }
    // Every attempt went to AWS with the intruder's own credentials; none was served from the
    // cache.
    assertThat(bed.aws.calls().count("aws.secretsmanager.GetSecretValue") - reads)
        .isGreaterThanOrEqualTo(3);
    logs.assertNoCanary(Canaries.all());
  }

  @Test
  void rotation_aNewVersionAppearsAfterOnePollInterval() {
    MountReply first = mount("app");
    assertThat(text(first)).isEqualTo(Canaries.SECRET);
    String rotated = bed.aws.putSecret(AwsTestBed.REGION, "app/config", "rotated");
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              MountReply reply = mount("app");
              assertThat(text(reply)).isEqualTo("rotated");
              assertThat(reply.versions().get(0).version())
                  .isEqualTo(rotated)
                  .isNotEqualTo(first.versions().get(0).version());
            });
  }

  @Test
  void throttling_isResourceExhaustedWithinTheBudget_thenRecovers() {
    long readsBefore = bed.aws.calls().count("aws.secretsmanager.GetSecretValue");
    bed.aws
        .faults()
        .inject(
            "aws.secretsmanager.GetSecretValue",
            Fault.throttled(Duration.ofSeconds(1)),
            FaultPlan.ALWAYS);
    bed.aws.putSecret(AwsTestBed.REGION, "app/other", "x");
    assertThatThrownBy(
            () ->
                provider
                    .client()
                    .mount(
                        call(
                            bed.attributes(
                                "- {objectName: app/other, objectType: secretsmanager}")),
                        TIMEOUT))
        .isInstanceOfSatisfying(
            ProviderCallException.class, e -> assertThat(e.code()).isEqualTo("RESOURCE_EXHAUSTED"));
    assertThat(bed.aws.calls().count("aws.secretsmanager.GetSecretValue") - readsBefore)
        .as("three attempts, no more")
        .isEqualTo(3);

    bed.aws.faults().clear("aws.secretsmanager.GetSecretValue");
    assertThat(
            text(
                provider
                    .client()
                    .mount(
                        call(
                            bed.attributes(
                                "- {objectName: app/other, objectType: secretsmanager}")),
                        TIMEOUT)))
        .isEqualTo("x");
    logs.assertNoCanary(Canaries.all());
  }
}
