// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static io.secretsstore.provider.aws.AwsTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ProviderFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EKS Pod Identity's {@code preferredAddressType}: the agent's IPv4 address points at a closed port
 * and its "IPv6" address at the emulator's agent, so auto must really fall back on the network
 * error, ipv4 must fail, ipv6 must go straight to the second address, and an HTTP answer from the
 * first address must not fall back.
 */
class AwsPodIdentityAddressIT extends AwsBedTests {
  private static final String AGENT = "aws.podidentity.credentials";
  private static final String OBJECTS = "- {objectName: /app/key, objectType: ssmparameter}";
  private static URI closed;
  private static URI agent;

  @BeforeAll
  static void seed() throws IOException {
    bed.aws.putParameter(AwsTestBed.REGION, "/app/key", Canaries.SECRET, true);
    agent = bed.started.endpoint("http").resolve("/v1/credentials");
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1/credentials");
    }
  }

  private ProviderFixture provider(URI ipv4, URI ipv6) throws Exception {
    return bed.provider(bed.settings().withAgent(PodIdentityAgent.at(ipv4, ipv6)), AwsTestBed.FAST);
  }

  private static Map<String, String> podIdentity(String addressType) {
    return addressType == null
        ? bed.attributes(OBJECTS, "usePodIdentity", "true")
        : bed.attributes(OBJECTS, "usePodIdentity", "true", "preferredAddressType", addressType);
  }

  @Test
  void auto_fallsBackToIpv6_whenIpv4CannotBeReached() throws Exception {
    ProviderFixture provider = provider(closed, agent);
    long before = bed.aws.calls().count(AGENT);
    assertThat(ProviderFixture.text(provider.mount(call(podIdentity(null))), 0))
        .isEqualTo(Canaries.SECRET);
    assertThat(ProviderFixture.text(provider.mount(call(podIdentity("AUTO"))), 0))
        .isEqualTo(Canaries.SECRET);
    assertThat(bed.aws.calls().count(AGENT) - before)
        .as("one agent call: the second mount reuses the credentials")
        .isEqualTo(1);
    assertThat(logs.text())
        .contains("cannot reach the EKS Pod Identity agent; trying its next address");
  }

  @Test
  void ipv4_neverTriesIpv6_andIpv6_goesStraightThere() throws Exception {
    ProviderFixture provider = provider(closed, agent);
    long before = bed.aws.calls().count(AGENT);
    provider.assertRejected(
        call(podIdentity("IPv4")),
        "UNAVAILABLE",
        "cannot reach the EKS Pod Identity agent at 127.0.0.1");
    assertThat(bed.aws.calls().count(AGENT)).isEqualTo(before);
    assertThat(ProviderFixture.text(provider.mount(call(podIdentity("ipv6"))), 0))
        .isEqualTo(Canaries.SECRET);
    assertThat(bed.aws.calls().count(AGENT) - before).isEqualTo(1);
  }

  @Test
  void auto_doesNotFallBack_onAnHttpAnswer() throws Exception {
    ProviderFixture provider = provider(agent, closed);
    bed.aws.faults().inject(AGENT, Fault.error(403), 1);
    long before = bed.aws.calls().count(AGENT);
    provider.assertRejected(
        call(podIdentity("auto")),
        "PERMISSION_DENIED",
        "the EKS Pod Identity agent refused the pod's token (HTTP 403)");
    assertThat(bed.aws.calls().count(AGENT) - before).isEqualTo(1);
    assertThat(logs.text()).doesNotContain("trying its next address");
  }
}
