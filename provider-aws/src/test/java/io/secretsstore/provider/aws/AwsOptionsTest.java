// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The serve flags, their environment fallbacks, and registration under {@code --backend aws}. */
class AwsOptionsTest {
  private static AwsOptions parse(String... args) {
    AwsOptions options = new AwsOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void flags_winOverEnvironment() {
    AwsSettings settings =
        parse(
                "--aws-endpoint=https://aws.local:4443",
                "--aws-ca-bundle=/ca.pem",
                "--aws-region=us-east-1",
                "--aws-role-arn-for=demo/app=arn:aws:iam::111122223333:role/demo-app")
            .settings(
                Map.of(
                    "AWS_ENDPOINT_URL",
                    "https://other",
                    "AWS_CA_BUNDLE",
                    "/other.pem",
                    "AWS_REGION",
                    "eu-west-1"));
    assertThat(settings.endpoint()).isEqualTo(URI.create("https://aws.local:4443"));
    assertThat(settings.caBundle()).isEqualTo(Path.of("/ca.pem"));
    assertThat(settings.region()).isEqualTo("us-east-1");
    assertThat(settings.roleArnFor())
        .containsExactly(Map.entry("demo/app", "arn:aws:iam::111122223333:role/demo-app"));
    assertThat(settings.agent()).isEqualTo(PodIdentityAgent.DEFAULT);
    assertThat(settings.regionLookup()).isEqualTo(RegionLookup.DEFAULT);
    assertThat(settings.batchSecrets()).isFalse();
  }

  @Test
  void environment_fillsWhatFlagsLeaveOut() {
    AwsSettings settings =
        parse()
            .settings(
                Map.of(
                    "AWS_ENDPOINT_URL",
                    "https://e:1",
                    "AWS_CA_BUNDLE",
                    "/b.pem",
                    "AWS_DEFAULT_REGION",
                    "eu-west-1"));
    assertThat(settings.endpoint()).isEqualTo(URI.create("https://e:1"));
    assertThat(settings.caBundle()).isEqualTo(Path.of("/b.pem"));
    assertThat(settings.region()).isEqualTo("eu-west-1");
    AwsSettings none = parse().settings(Map.of());
    assertThat(none.endpoint()).isNull();
    assertThat(none.caBundle()).isNull();
    assertThat(none.region()).isEmpty();
  }

  @Test
  void podIdentityNodeAndBatchFlags() {
    AwsSettings settings =
        parse(
                "--aws-pod-identity-endpoint=http://127.0.0.1:1/v1/credentials",
                "--aws-pod-identity-ipv6-endpoint=http://[::1]:2/v1/credentials",
                "--aws-pod-identity-http-timeout=2s",
                "--aws-node-name=node-a",
                "--aws-kube-qps=20",
                "--aws-kube-burst=40",
                "--aws-region-lookup-timeout=1500ms",
                "--aws-batch-get-secret-value")
            .settings(Map.of("NODE_NAME", "from-env"));
    assertThat(settings.agent())
        .isEqualTo(
            new PodIdentityAgent(
                URI.create("http://127.0.0.1:1/v1/credentials"),
                URI.create("http://[::1]:2/v1/credentials"),
                java.time.Duration.ofSeconds(2)));
    assertThat(settings.regionLookup())
        .isEqualTo(new RegionLookup("node-a", 20, 40, java.time.Duration.ofMillis(1500)));
    assertThat(settings.batchSecrets()).isTrue();
    assertThat(parse().settings(Map.of("NODE_NAME", "from-env")).regionLookup().nodeName())
        .as("downward API env")
        .isEqualTo("from-env");
    assertThat(PodIdentityAgent.DEFAULT.endpoints(PodIdentityAgent.AddressType.AUTO))
        .containsExactly(
            URI.create("http://169.254.170.23/v1/credentials"),
            URI.create("http://[fd00:ec2::23]/v1/credentials"));
  }

  @Test
  void badFlags_refused() {
    assertThatThrownBy(() -> parse("--aws-endpoint=http://plain:80").settings(Map.of()))
        .hasMessageContaining("must be an https URL");
    assertThatThrownBy(
            () -> parse("--aws-role-arn-for=app=arn:aws:iam::1:role/x").settings(Map.of()))
        .hasMessageContaining("NAMESPACE/SERVICEACCOUNT=");
    assertThatThrownBy(() -> parse("--aws-role-arn-for=ns/app=role").settings(Map.of()))
        .hasMessageContaining("NAMESPACE/SERVICEACCOUNT=");
    assertThatThrownBy(() -> parse("--aws-pod-identity-ipv6-endpoint=ftp://x/").settings(Map.of()))
        .hasMessageContaining("http(s) URLs");
    assertThatThrownBy(() -> parse("--aws-kube-qps=0").settings(Map.of()))
        .hasMessageContaining("--aws-kube-qps and --aws-kube-burst must be positive");
    assertThatThrownBy(() -> parse("--aws-region-lookup-timeout=0s").settings(Map.of()))
        .hasMessageContaining("--aws-region-lookup-timeout must be positive");
  }

  @Test
  void registered_asTheAwsBackend() {
    assertThat(
            java.util.ServiceLoader.load(io.secretsstore.provider.spi.BackendFactory.class).stream()
                .map(p -> p.get().name()))
        .contains("aws");
    assertThat(new AwsBackendFactory().options()).isInstanceOf(AwsOptions.class);
  }
}
