// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.grpc.ProviderCallException;
import io.secretsstore.provider.testing.LogCapture;
import io.secretsstore.provider.testing.ProviderFixture;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18 points 5 and 12 at the backend, with the real SDK clients against the AWS emulator: a
 * jmesPath expression that would blow up a tenant's own 47 KB secret is stopped while it runs, and
 * at TRACE no backend error body reaches the log.
 */
class AwsHostileTenantIT {
  private static final String CANARY = "ERROR-BODY-CANARY-5f0c1d2e";
  private static AwsTestBed bed;

  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void seed() throws Exception {
    bed = new AwsTestBed();
    // 47 KB of the tenant's own JSON: 1,000 entries.
    StringBuilder json = new StringBuilder("{\"user\":\"app-user\",\"items\":[");
    for (int i = 0; i < 1000; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"k\":\"key-")
          .append(i)
          .append("\",\"v\":\"")
          .append("v".repeat(30))
          .append("\"}");
    }
    bed.aws.putSecret(AwsTestBed.REGION, "app/big", json.append("]}").toString());
    bed.aws.putSecret(AwsTestBed.REGION, "app/db", "{\"username\":\"app-user\"}");
  }

  @AfterAll
  static void stop() throws Exception {
    bed.close();
  }

  @AfterEach
  void closeTracked() throws Exception {
    bed.closeTracked();
  }

  private static String objects(String secret, String path) {
    return "- objectName: "
        + secret
        + "\n  objectType: secretsmanager\n  objectAlias: whole\n  jmesPath:\n"
        + "    - path: '"
        + path.replace("'", "''")
        + "'\n      objectAlias: extracted\n";
  }

  private static ProviderCallException refused(
      ProviderFixture provider, Map<String, String> attributes) {
    try {
      MountReply reply = provider.mount(AwsTestBed.call(attributes));
      throw new AssertionError("expected a refusal, got " + reply.files().size() + " files");
    } catch (ProviderCallException e) {
      return e;
    }
  }

  @Test
  void
      point5_expressionsThatExplode_areStoppedDuringEvaluation_withResourceExhaustedNamingJmesPath()
          throws Exception {
    ProviderFixture provider = bed.provider(bed.settings(), AwsTestBed.NO_POLL);
    String doubling = "[@,@]|".repeat(40) + "to_string(@)";
    String joined = "join('', [" + "to_string(@),".repeat(40) + "to_string(@)])";
    String projected = "items[*].[@,@,@,@,@,@,@,@]|[]|[*].[@,@,@,@,@,@,@,@]|[]|join(',', [*].v)";
    for (String expression : new String[] {doubling, joined, projected}) {
      ProviderCallException e = refused(provider, bed.attributes(objects("app/big", expression)));
      assertThat(e.code()).as(e.description()).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(e.description()).contains("jmesPath[0]").contains("units of work");
    }
    // Ordinary expressions over the same secret still work, and the other tenant's mount too.
    MountReply reply =
        provider.mount(AwsTestBed.call(bed.attributes(objects("app/big", "items[999].k"))));
    assertThat(new String(reply.files().get(1).contents(), StandardCharsets.UTF_8))
        .isEqualTo("key-999");
    reply = provider.mount(AwsTestBed.call(bed.attributes(objects("app/db", "username"))));
    assertThat(new String(reply.files().get(1).contents(), StandardCharsets.UTF_8))
        .isEqualTo("app-user");
  }

  @Test
  void point5_theBudget_allowsFunctionsOverTheWholeSecret() {
    tools.jackson.databind.JsonNode document =
        JmesExtractor.parse(
            "{\"a\":[\"x\",\"y\"],\"b\":\"z\"}".getBytes(StandardCharsets.UTF_8), "t");
    assertThat(
            new String(
                JmesExtractor.extract(document, "join('-', a)", "t"), StandardCharsets.UTF_8))
        .isEqualTo("x-y");
    assertThat(
            new String(
                JmesExtractor.extract(document, "to_string(@)", "t"), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":[\"x\",\"y\"],\"b\":\"z\"}");
  }

  @Test
  void perRegionClients_areBoundedAndEvicted() {
    try (AwsClients clients = new AwsClients(bed.settings())) {
      for (int i = 0; i < AwsClients.MAX_REGIONS * 2; i++) {
        clients.secretsManager("made-up-" + i);
      }
      clients.secretsManager(AwsTestBed.REGION);
      assertThat(clients.size()).isLessThanOrEqualTo(AwsClients.MAX_REGIONS);
    }
  }

  @Test
  void point12_atTrace_theSdkNeverLogsABackendErrorBody() throws Exception {
    ProviderFixture provider = bed.provider(bed.settings(), AwsTestBed.NO_POLL);
    String body =
        "{\"__type\":\"ValidationException\",\"message\":\""
            + CANARY
            + "\",\"Message\":\""
            + CANARY
            + "\"}";
    bed.aws
        .faults()
        .inject(
            "aws.secretsmanager.GetSecretValue", Fault.error(400).withBody(body), FaultPlan.ALWAYS);
    bed.aws
        .faults()
        .inject(
            "aws.sts.AssumeRoleWithWebIdentity",
            Fault.error(403)
                .withBody(
                    "<ErrorResponse><Error><Code>AccessDenied</Code><Message>"
                        + CANARY
                        + "</Message></Error></ErrorResponse>")
                .withHeader("Content-Type", "text/xml"),
            1);
    refused(provider, bed.attributes("- {objectName: app/db, objectType: secretsmanager}"));
    refused(provider, bed.attributes("- {objectName: app/db, objectType: secretsmanager}"));
    assertThat(logs.text())
        .as("the SDK logged at all (the test would prove nothing otherwise)")
        .isNotEmpty();
    logs.assertNoCanary(CANARY);
  }
}
