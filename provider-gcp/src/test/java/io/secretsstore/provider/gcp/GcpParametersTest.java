// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.testing.Canaries;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's parameter rules and messages, without I/O. */
class GcpParametersTest {
  private static GcpParameters parse(String secrets, String... extra) {
    return parse(Map.of(), false, secrets, extra);
  }

  private static GcpParameters parse(
      Map<String, String> nodePublish, boolean allow, String secrets, String... extra) {
    Map<String, String> attributes = new java.util.HashMap<>();
    if (secrets != null) {
      attributes.put("secrets", secrets);
    }
    for (int i = 0; i < extra.length; i += 2) {
      attributes.put(extra[i], extra[i + 1]);
    }
    return GcpParameters.parse(attributes, nodePublish, allow, FileMode.DEFAULT);
  }

  private static void invalid(String secrets, String message) {
    assertThatThrownBy(() -> parse(secrets))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void resourceNames_inEveryForm() {
    GcpParameters parameters =
        parse(
            """
        - resourceName: projects/p/secrets/s/versions/latest
          fileName: a
        - resourceName: projects/123/secrets/s/versions/7
          fileName: b
        - resourceName: projects/p/locations/us-central1/secrets/s/versions/latest
          fileName: c
        """);
    assertThat(parameters.entries())
        .extracting(e -> e.spec().resource().location())
        .containsExactly("", "", "us-central1");
    assertThat(parameters.entries())
        .extracting(e -> e.spec().resource().pinned())
        .containsExactly(false, true, false);
    assertThat(parameters.auth()).isEqualTo(AuthMode.POD_ADC);
    invalid("- resourceName: projects/p/secrets/s\n  fileName: a\n", "unknown resource type");
    invalid("- resourceName:\n  fileName: a\n", "resourceName must be set");
    invalid(
        "-\n- resourceName: projects/p/secrets/s/versions/1\n  fileName: a\n",
        "secrets[0]: resourceName must be set");
    invalid(
        "- resourceName: x/projects/p/secrets/s/versions/1\n  fileName: a\n",
        "unknown resource type");
    invalid(
        "- resourceName: projects/p/locations/"
            + "a".repeat(31)
            + "/secrets/s/versions/1\n  fileName: a\n",
        "Invalid location: location length exceeds limit");
    invalid(
        "- resourceName: projects/p/locations/Bad_Loc/secrets/s/versions/1\n  fileName: a\n",
        "Invalid location");
    invalid(
        "- resourceName: projects/p/locations/global/parameters/x/versions/v\n  fileName: a\n",
        "Parameter Manager");
  }

  @Test
  void pathWins_andModesAreOctalOrDecimal() {
    GcpParameters parameters =
        parse(
            """
        - resourceName: projects/p/secrets/s/versions/1
          fileName: name
          path: dir/path
          mode: 0400
        - resourceName: projects/p/secrets/t/versions/1
          fileName: name2
          mode: 256
        - resourceName: projects/p/secrets/u/versions/1
          fileName: name3
          mode: 0o640
        - resourceName: projects/p/secrets/v/versions/1
          fileName: name4
          mode:
        """);
    assertThat(parameters.entries())
        .extracting(GcpParameters.Entry::path)
        .containsExactly("dir/path", "name2", "name3", "name4");
    assertThat(parameters.entries())
        .extracting(e -> e.mode().bits())
        .containsExactly(0400, 0400, 0640, 0644);
    invalid(
        "- resourceName: projects/p/secrets/s/versions/1\n  fileName: a\n  mode: 512\n",
        "mode must be between 0 and 0777");
    invalid(
        "- resourceName: projects/p/secrets/s/versions/1\n  fileName: a\n  mode: -1\n",
        "mode must be between 0 and 0777");
    invalid(
        "- resourceName: projects/p/secrets/s/versions/1\n  fileName: a\n  mode: 0999\n",
        "mode must be an integer file mode");
  }

  @Test
  void keysAreCaseSensitive_andUnknownKeysAreRefusedByName() {
    invalid(
        "- resourcename: projects/p/secrets/s/versions/1\n  fileName: a\n",
        "secrets[0] has an unknown field \"resourcename\"");
    invalid(
        "- resourceName: projects/p/secrets/s/versions/1\n  filename: a\n",
        "secrets[0] has an unknown field \"filename\"");
    invalid(
        "- resourceName: projects/p/secrets/s/versions/1\n  fileName: a\n- resourceName: projects/p/secrets/s/versions/1\n"
            + "  fileName: b\n  mod: 0400\n",
        "secrets[1] has an unknown field \"mod\"; the fields are resourceName, fileName, path, mode");
    // A key that is not a plain name is shown by its position only.
    assertThatThrownBy(
            () ->
                parse(
                    "- resourceName: projects/p/secrets/s/versions/1\n  fileName: a\n  \""
                        + Canaries.SECRET
                        + " x\": 1\n"))
        .hasMessageContaining("unknown field #2")
        .hasMessageNotContaining(Canaries.SECRET);
  }

  @Test
  void extraction_isOneKeyOfOneFormat() {
    GcpParameters parameters =
        parse(
            "- resourceName: projects/p/secrets/s/versions/1\n  fileName: a\n  extractYAMLKey: user\n");
    assertThat(parameters.entries().get(0).spec().extractYamlKey()).isEqualTo("user");
    invalid(
        "- resourceName: projects/p/secrets/s/versions/1\n  fileName: a\n  extractJSONKey: a\n  extractYAMLKey: b\n",
        "both ExtractJSONKey and ExtractYAMLKey can't be simultaneously non empty strings");
  }

  @Test
  void missingOrMalformedSecrets_areRejectedWithoutEchoingThem() {
    assertThatThrownBy(() -> parse(null)).hasMessage("missing required 'secrets' attribute");
    assertThatThrownBy(() -> parse("{" + Canaries.SECRET))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.getMessage())
                  .startsWith("failed to unmarshal secrets attribute")
                  .doesNotContain(Canaries.SECRET);
            });
    invalid("resourceName: projects/p/secrets/s/versions/1\n", "must be a list of entries");
  }

  @Test
  void auth_followsUpstreamsSwitch_andTheNodePublishGate() {
    String one = "- resourceName: projects/p/secrets/s/versions/1\n  fileName: a\n";
    Map<String, String> key =
        Map.of("key.json", "{\"private_key\":\"" + Canaries.NODE_PUBLISH + "\"}");
    assertThat(parse(one, "auth", "provider-adc").auth()).isEqualTo(AuthMode.PROVIDER_ADC);
    assertThat(parse(one, "auth", "pod-adc").auth()).isEqualTo(AuthMode.POD_ADC);
    assertThat(parse(key, false, one).auth())
        .as("key.json ignored unless allowed")
        .isEqualTo(AuthMode.POD_ADC);
    GcpParameters withKey = parse(key, true, one);
    assertThat(withKey.auth()).isEqualTo(AuthMode.NODE_PUBLISH_SECRET);
    assertThat(withKey.toString()).doesNotContain(Canaries.NODE_PUBLISH);
    assertThatThrownBy(() -> parse(key, true, one, "auth", "provider-adc"))
        .hasMessage("attempting to set both nodePublishSecretRef and provider-adc auth");
    assertThatThrownBy(() -> parse(one, "auth", "gke"))
        .hasMessageStartingWith("unknown auth configuration");
  }

  @Test
  void everyInvalidEntry_isNamedInOneMessage() {
    assertThatThrownBy(
            () ->
                parse(
                    """
        - resourceName: projects/p/secrets/s
          fileName: a
        - resourceName: projects/p/secrets/s/versions/1
          fileName: b
        - fileName: c
        """))
        .hasMessage(
            "2 of 3 secrets are invalid: secrets[0] (\"projects/p/secrets/s\"): unknown resource type; "
                + "secrets[2]: resourceName must be set");
  }

  @Test
  void options_deriveTheGkeAudience_andMapServiceAccounts() {
    GcpOptions options = new GcpOptions();
    new picocli.CommandLine(options)
        .parseArgs("--gcp-service-account-for=ns/sa=gsa@p.iam.gserviceaccount.com");
    GcpSettings settings =
        options.settings(
            Map.of(
                "PROJECT",
                "p",
                "CLUSTER_LOCATION",
                "europe-west1",
                "CLUSTER_NAME",
                "c",
                "ALLOW_NODE_PUBLISH_SECRET",
                "true"));
    assertThat(settings.identity())
        .isEqualTo(
            new WorkloadIdentityPool(
                "p.svc.id.goog",
                "identitynamespace:p.svc.id.goog:https://container.googleapis.com/v1/projects/p/locations/europe-west1/clusters/c"));
    assertThat(settings.serviceAccountFor())
        .containsEntry("ns/sa", "gsa@p.iam.gserviceaccount.com");
    assertThat(settings.allowNodePublishSecret()).isTrue();
    assertThat(settings.secretManagerFor("")).isEqualTo("secretmanager.googleapis.com:443");
    assertThat(settings.secretManagerFor("us-east1"))
        .isEqualTo("secretmanager.us-east1.rep.googleapis.com:443");
    assertThat(settings.tokenExchange())
        .hasToString("https://securetoken.googleapis.com/v1/identitybindingtoken");

    GcpOptions federated = new GcpOptions();
    String audience =
        "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/pool/providers/k8s";
    new picocli.CommandLine(federated)
        .parseArgs(
            "--gcp-token-audience=" + audience, "--gcp-secretmanager-endpoint=localhost:8443");
    GcpSettings other = federated.settings(Map.of());
    assertThat(other.identity()).isEqualTo(new WorkloadIdentityPool("", audience));
    assertThat(other.secretManagerFor("us-east1"))
        .as("one emulator address serves every location")
        .isEqualTo("localhost:8443");
    assertThat(other.allowNodePublishSecret()).isFalse();
  }
}
