// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static io.secretsstore.provider.aws.AwsTestBed.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.provider.driver.SecretProviderClassFile;
import io.secretsstore.provider.emulators.Fault;
import io.secretsstore.provider.emulators.FaultPlan;
import io.secretsstore.provider.grpc.MountReply;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.testing.Canaries;
import io.secretsstore.provider.testing.ProviderFixture;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstream's example SecretProviderClasses ({@code src/test/resources/upstream-examples}), read as
 * files and mounted unchanged through the real socket against the AWS emulator, with the files and
 * versions upstream documents.
 */
class AwsUpstreamExamplesIT extends AwsBedTests {
  private static final String PRIMARY_ARN =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:PrimarySecret-12345";
  private static final String FAILOVER_ARN =
      "arn:aws:secretsmanager:us-east-2:123456789012:secret:FailoverSecret-12345";
  private static ProviderFixture provider;
  private static AwsBackend backend;
  private static String mySecretVersion;

  @BeforeAll
  static void seedAndStart() throws Exception {
    bed.aws.allow(
        AwsTestBed.ROLE, "MySecret", "MyHyphenatedSecret", "PrimarySecret", "FailoverSecret");
    mySecretVersion =
        bed.aws.putSecret(
            AwsTestBed.REGION,
            "MySecret",
            "{\"username\":\"memeuser\", \"password\":\"" + Canaries.SECRET + "\"}");
    bed.aws.putSecret(
        AwsTestBed.REGION,
        "MyHyphenatedSecret",
        "{\"hyphenated-path\":\"" + Canaries.SECRET + "\"}");
    bed.aws.putSecretAt(PRIMARY_ARN, "primary");
    bed.aws.putSecretAt(FAILOVER_ARN, "failover");
    backend = bed.backend(bed.settings());
    provider = ProviderFixture.start(backend, AwsTestBed.FAST);
  }

  @AfterAll
  static void stopProvider() throws Exception {
    provider.close();
    backend.close();
  }

  /**
   * The driver's attributes for the example: its parameters unchanged, plus the pod's keys and
   * tokens.
   */
  private static Map<String, String> attributesOf(String example) throws URISyntaxException {
    Path file =
        Path.of(AwsUpstreamExamplesIT.class.getResource("/upstream-examples/" + example).toURI());
    SecretProviderClassFile spc = SecretProviderClassFile.read(file);
    assertThat(spc.provider()).isEqualTo("aws");
    Map<String, String> attributes = new LinkedHashMap<>(bed.attributes(""));
    attributes.remove(AwsParameters.OBJECTS);
    attributes.putAll(spc.parameters());
    return attributes;
  }

  @Test
  void irsaExample_mountsMySecret() throws Exception {
    MountReply reply = provider.mount(call(attributesOf("ExampleSecretProviderClass-IRSA.yaml")));
    assertThat(reply.files()).extracting(MountReply.ReturnedFile::path).containsExactly("MySecret");
    assertThat(ProviderFixture.text(reply, 0)).contains("memeuser");
    assertThat(reply.files().get(0).mode()).isEqualTo(0644);
    assertThat(reply.versions()).containsExactly(new ObjectVersion("MySecret", mySecretVersion));
  }

  @Test
  void podIdentityExample_mountsMySecret_throughTheAgent() throws Exception {
    long agentCalls = bed.aws.calls().count("aws.podidentity.credentials");
    int sts = bed.aws.stsCalls();
    MountReply reply =
        provider.mount(call(attributesOf("ExampleSecretProviderClass-PodIdentity.yaml")));
    assertThat(reply.files()).extracting(MountReply.ReturnedFile::path).containsExactly("MySecret");
    assertThat(ProviderFixture.text(reply, 0)).contains("memeuser");
    assertThat(bed.aws.calls().count("aws.podidentity.credentials") - agentCalls).isEqualTo(1);
    assertThat(bed.aws.stsCalls()).isEqualTo(sts);
  }

  @Test
  void jmesPathExample_addsUsernameAndPasswordFiles() throws Exception {
    MountReply reply = provider.mount(call(attributesOf("readme-jmespath.yaml")));
    assertThat(reply.files())
        .extracting(MountReply.ReturnedFile::path)
        .containsExactly("MySecret", "MySecretUsername", "MySecretPassword");
    assertThat(ProviderFixture.text(reply, 1)).isEqualTo("memeuser");
    assertThat(ProviderFixture.text(reply, 2)).isEqualTo(Canaries.SECRET);
    assertThat(reply.versions()).extracting(ObjectVersion::version).containsOnly(mySecretVersion);
  }

  @Test
  void hyphenatedJmesPathExample_quotedPathAndAlias() throws Exception {
    MountReply reply = provider.mount(call(attributesOf("readme-jmespath-hyphenated.yaml")));
    // The alias keeps its double quotes in the file name, as upstream writes it.
    assertThat(reply.files())
        .extracting(MountReply.ReturnedFile::path)
        .containsExactly("MyHyphenatedSecret", "\"hyphenated-alias\"");
    assertThat(ProviderFixture.text(reply, 1)).isEqualTo(Canaries.SECRET);
  }

  @Test
  void failoverExample_primaryWhenHealthy_failoverArnOn5xx() throws Exception {
    Map<String, String> attributes = attributesOf("readme-failover.yaml");
    MountReply healthy = provider.mount(call(attributes));
    assertThat(healthy.files())
        .extracting(MountReply.ReturnedFile::path)
        .containsExactly("testArn");
    assertThat(ProviderFixture.text(healthy, 0)).isEqualTo("primary");

    // A fresh provider, so the engine's cache does not answer: the primary region answers 503.
    bed.aws
        .faults()
        .inject(
            "aws.secretsmanager.GetSecretValue",
            "PrimarySecret-12345",
            Fault.error(503),
            FaultPlan.ALWAYS);
    AwsBackend fresh = bed.backend(bed.settings());
    try (fresh;
        ProviderFixture other = ProviderFixture.start(fresh, AwsTestBed.FAST)) {
      assertThat(ProviderFixture.text(other.mount(call(attributes)), 0)).isEqualTo("failover");
    }
  }
}
