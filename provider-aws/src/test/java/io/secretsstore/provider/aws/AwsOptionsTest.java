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
    AwsSettings settings = parse("--aws-endpoint=https://aws.local:4443", "--aws-ca-bundle=/ca.pem", "--aws-region=us-east-1",
        "--aws-role-arn-for=demo/app=arn:aws:iam::111122223333:role/demo-app")
        .settings(Map.of("AWS_ENDPOINT_URL", "https://other", "AWS_CA_BUNDLE", "/other.pem", "AWS_REGION", "eu-west-1"));
    assertThat(settings.endpoint()).isEqualTo(URI.create("https://aws.local:4443"));
    assertThat(settings.caBundle()).isEqualTo(Path.of("/ca.pem"));
    assertThat(settings.region()).isEqualTo("us-east-1");
    assertThat(settings.roleArnFor()).containsExactly(Map.entry("demo/app", "arn:aws:iam::111122223333:role/demo-app"));
    assertThat(settings.agent()).isEqualTo(PodIdentityAgent.DEFAULT);
    assertThat(settings.regionLookup()).isEqualTo(RegionLookup.DEFAULT);
    assertThat(settings.batchSecrets()).isFalse();
  }

  @Test
  void environment_fillsWhatFlagsLeaveOut() {
    AwsSettings settings = parse().settings(Map.of("AWS_ENDPOINT_URL", "https://e:1", "AWS_CA_BUNDLE", "/b.pem", "AWS_DEFAULT_REGION", "eu-west-1"));
    assertThat(settings.endpoint()).isEqualTo(URI.create("https://e:1"));
    assertThat(settings.caBundle()).isEqualTo(Path.of("/b.pem"));
    assertThat(settings.region()).isEqualTo("eu-west-1");
    AwsSettings none = parse().settings(Map.of());
    assertThat(none.endpoint()).isNull();
    assertThat(none.caBundle()).isNull();
    assertThat(none.region()).isEmpty();
  }

  @Test
  void badFlags_refused() {
    assertThatThrownBy(() -> parse("--aws-endpoint=http://plain:80").settings(Map.of())).hasMessageContaining("must be an https URL");
    assertThatThrownBy(() -> parse("--aws-role-arn-for=app=arn:aws:iam::1:role/x").settings(Map.of()))
        .hasMessageContaining("NAMESPACE/SERVICEACCOUNT=");
    assertThatThrownBy(() -> parse("--aws-role-arn-for=ns/app=role").settings(Map.of())).hasMessageContaining("NAMESPACE/SERVICEACCOUNT=");
  }

  @Test
  void registered_asTheAwsBackend() {
    assertThat(java.util.ServiceLoader.load(io.secretsstore.provider.spi.SecretBackend.class).stream()
        .map(p -> p.get().name())).contains("aws");
    try (AwsBackend backend = new AwsBackend()) {
      assertThat(backend.options()).isInstanceOf(AwsOptions.class);
    }
  }
}
