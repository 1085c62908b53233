// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static io.secretsstore.provider.aws.AwsTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.testing.CountingTcpProxy;
import io.secretsstore.provider.testing.ProviderFixture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Identities share the SDK clients' HTTP connections: after one identity's cold mount of 10
 * objects, a new identity's login and 10 parallel reads open no new connection (counted by a TCP
 * proxy in front of the emulator), while each still signs with its own credentials.
 */
class AwsConnectionReuseIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final AwsTestBed bed;

  AwsConnectionReuseIT() throws Exception {
    bed = new AwsTestBed();
  }

  @AfterEach
  void close() throws Exception {
    bed.closeTracked();
    bed.close();
  }

  @Test
  void aNewIdentity_reusesTheWarmConnections_ofEarlierMounts() throws Exception {
    for (int i = 0; i < 20; i++) {
      bed.aws.putSecret(AwsTestBed.REGION, "app/s" + i, "value-" + i);
    }
    bed.aws.addRole(
        AwsTestBed.ROLE,
        Logins.IRSA_AUDIENCE,
        "system:serviceaccount:" + AwsTestBed.NAMESPACE + ":other");
    try (CountingTcpProxy proxy = new CountingTcpProxy(bed.endpoint())) {
      AwsSettings settings =
          AwsSettings.of(
              proxy.via(bed.endpoint()),
              bed.caFile,
              AwsTestBed.REGION,
              Map.of(
                  AwsTestBed.NAMESPACE + "/app",
                  AwsTestBed.ROLE,
                  AwsTestBed.NAMESPACE + "/other",
                  AwsTestBed.ROLE));
      ProviderFixture provider = bed.provider(settings, AwsTestBed.NO_POLL);

      assertThat(provider.client().mount(call(bed.attributes(objects(0))), TIMEOUT).files())
          .hasSize(10);
      int afterFirst = proxy.connections();
      assertThat(afterFirst)
          .as("the first identity's login and 10 parallel reads")
          .isBetween(1, 11);

      long stsBefore = bed.aws.calls().count("aws.sts.AssumeRoleWithWebIdentity");
      long readsBefore = bed.aws.calls().count("aws.secretsmanager.GetSecretValue");
      var second = provider.client().mount(call(bed.attributesOf("other", objects(10))), TIMEOUT);
      assertThat(second.files()).hasSize(10);
      assertThat(bed.aws.calls().count("aws.sts.AssumeRoleWithWebIdentity") - stsBefore)
          .as("its own login")
          .isEqualTo(1);
      assertThat(bed.aws.calls().count("aws.secretsmanager.GetSecretValue") - readsBefore)
          .as("its own reads")
          .isEqualTo(10);
      assertThat(proxy.connections() - afterFirst)
          .as("new connections for the second identity's 11 calls")
          .isZero();
    }
  }

  private static String objects(int first) {
    StringBuilder yaml = new StringBuilder();
    for (int i = first; i < first + 10; i++) {
      yaml.append("- {objectName: app/s").append(i).append(", objectType: secretsmanager}\n");
    }
    return yaml.toString();
  }
}
