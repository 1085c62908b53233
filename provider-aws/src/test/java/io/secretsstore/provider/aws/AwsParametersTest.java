// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.testing.Canaries;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upstream's parameters, defaults and every validation rule of A1, with messages that never echo a
 * value.
 */
class AwsParametersTest {
  private static final String SM_ARN =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
  private static final String SSM_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/app/key";

  private static Map<String, String> params(String objects, String... extra) {
    Map<String, String> map = new HashMap<>();
    map.put("objects", objects);
    for (int i = 0; i < extra.length; i += 2) {
      map.put(extra[i], extra[i + 1]);
    }
    return map;
  }

  private static AwsParameters parse(Map<String, String> params) {
    return AwsParameters.parse(params, "us-east-1", FileMode.DEFAULT);
  }

  private static void assertInvalid(Map<String, String> params, String message) {
    assertThatThrownBy(() -> parse(params))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void defaults_translateSlashes_inheritMode_takeProviderRegion() {
    AwsParameters p = parse(params("- objectName: /app/db\n  objectType: secretsmanager\n"));
    assertThat(p.region()).isEqualTo("us-east-1");
    assertThat(p.failoverRegion()).isEmpty();
    assertThat(p.usePodIdentity()).isFalse();
    assertThat(p.preferredAddressType()).isEqualTo(PodIdentityAgent.AddressType.AUTO);
    AwsSpec spec = p.objects().get(0);
    assertThat(spec.fileName()).isEqualTo("_app_db");
    assertThat(spec.mode()).isEqualTo(FileMode.DEFAULT);
    assertThat(spec.type()).isEqualTo(SecretType.SECRETS_MANAGER);
    assertThat(spec.failover()).isNull();
  }

  @Test
  void fieldNames_areCaseInsensitive_unknownFieldsRefusedByName_jsonAccepted() {
    AwsParameters p =
        parse(params("- ObjectName: a\n  OBJECTTYPE: ssmparameter\n  objectalias: x\n"));
    assertThat(p.objects().get(0).fileName()).isEqualTo("x");
    assertThatThrownBy(() -> parse(params("- objectName: a\n  filePermision: \"0600\"\n")))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.getMessage())
                  .contains("objects[0] has an unknown field \"filePermision\"");
            });
    assertThatThrownBy(
            () ->
                parse(
                    params(
                        "- objectName: a\n  jmesPath:\n    - {path: u, objectAlias: u, colour: blue}\n")))
        .hasMessageContaining("objects[0].jmesPath[0] has an unknown field \"colour\"");
    // A plain name longer than every field is not quoted: it may be a value pasted onto a key.
    assertThatThrownBy(
            () -> parse(params("- objectName: a\n  " + Canaries.SECRET + "objectType: x\n")))
        .hasMessageContaining("objects[0] has an unknown field #1")
        .hasMessageNotContaining(Canaries.SECRET);
    // A key that is not a plain name is referred to by position, never quoted.
    assertThatThrownBy(() -> parse(params("- objectName: a\n  \"" + Canaries.SECRET + " \": x\n")))
        .hasMessageContaining("unknown field #1")
        .hasMessageNotContaining(Canaries.SECRET);
    AwsParameters json =
        parse(
            params(
                "[{\"objectName\": \"a\", \"objectType\": \"secretsmanager\", \"filePermission\": \"0600\"}]"));
    assertThat(json.objects().get(0).mode()).isEqualTo(new FileMode(0600));
  }

  @Test
  void emptyOrMissingObjects_mountNothing() {
    assertThat(parse(params("")).objects()).isEmpty();
    assertThat(AwsParameters.parse(Map.of(), "us-east-1", FileMode.DEFAULT).objects()).isEmpty();
    assertThat(parse(params("~")).objects()).isEmpty();
  }

  @Test
  void region_parameterWins_elseProvider_elseRegionNotFound() {
    assertThat(parse(params("", "region", "eu-west-1")).region()).isEqualTo("eu-west-1");
    assertThatThrownBy(() -> AwsParameters.parse(Map.of(), "", FileMode.DEFAULT))
        .hasMessageContaining("Region not found");
  }

  @Test
  void failoverRegion_mustDiffer() {
    assertInvalid(
        params("", "failoverRegion", "us-east-1"), "failoverRegion must be different from region");
    AwsParameters p =
        parse(
            params(
                "- objectName: a\n  objectType: secretsmanager\n", "failoverRegion", "us-west-2"));
    assertThat(p.objects().get(0).failover())
        .isEqualTo(new AwsSpec.Target("us-west-2", "a", "", ""));
  }

  @ParameterizedTest
  @CsvSource({"False,/a/b,a/b", "false,a/b,a/b", "FALSE,//a,a", "-,/a/b,-a-b", "_,a,a"})
  void pathTranslation(String translation, String name, String file) {
    AwsParameters p =
        parse(
            params(
                "- objectName: \"" + name + "\"\n  objectType: secretsmanager\n",
                "pathTranslation",
                translation));
    assertThat(p.objects().get(0).fileName()).isEqualTo(file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "True", "é"})
  void pathTranslation_otherValues_refused(String translation) {
    assertInvalid(
        params("", "pathTranslation", translation),
        "pathTranslation must be either 'False' or a single character string");
  }

  @ParameterizedTest
  @CsvSource({"true,true", "1,true", "T,true", "False,false", "0,false", "f,false"})
  void usePodIdentity_goParseBool(String value, boolean expected) {
    assertThat(parse(params("", "usePodIdentity", value)).usePodIdentity()).isEqualTo(expected);
  }

  @Test
  void usePodIdentity_invalid_refused() {
    assertInvalid(params("", "usePodIdentity", "yes"), "usePodIdentity");
  }

  @ParameterizedTest
  @CsvSource({
    "IPv4,IPV4",
    "ipv4,IPV4",
    "IPV6,IPV6",
    "ipv6,IPV6",
    "AUTO,AUTO",
    "auto,AUTO",
    "'',AUTO"
  })
  void preferredAddressType_caseInsensitive_emptyMeansAuto(
      String value, PodIdentityAgent.AddressType expected) {
    assertThat(parse(params("", "preferredAddressType", value)).preferredAddressType())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ipv5", "both", " ipv4", "CANARY-value"})
  void preferredAddressType_otherValues_refusedByKey(String value) {
    assertInvalid(
        params("", "preferredAddressType", value),
        "preferredAddressType must be ipv4, ipv6 or auto");
    assertThatThrownBy(() -> parse(params("", "preferredAddressType", value)))
        .hasMessageNotContaining("CANARY");
  }

  @Test
  void arn_givesType_andMustMatchRegion() {
    AwsParameters p =
        parse(params("- objectName: " + SM_ARN + "\n- objectName: " + SSM_ARN + "\n"));
    assertThat(p.objects().get(0).type()).isEqualTo(SecretType.SECRETS_MANAGER);
    assertThat(p.objects().get(0).fileName()).isEqualTo(SM_ARN);
    assertThat(p.objects().get(1).type()).isEqualTo(SecretType.SSM_PARAMETER);
    assertThat(p.objects().get(1).fileName())
        .isEqualTo("arn:aws:ssm:us-east-1:123456789012:parameter_app_key");
    assertInvalid(
        params("- objectName: " + SM_ARN.replace("us-east-1", "us-west-2") + "\n"),
        "ARN region must match region");
  }

  @Test
  void entryRules_inUpstreamOrder() {
    assertInvalid(
        params("- objectType: secretsmanager\n"), "objects[0]: Object name must be specified");
    assertInvalid(
        params("- objectName: a\n"), "Must use objectType when a full ARN is not specified");
    assertInvalid(params("- objectName: a\n  objectType: ssm\n"), "Invalid objectType");
    assertInvalid(params("- objectName: a\n  objectType: kms\n"), "Invalid objectType");
    assertInvalid(
        params("- objectName: \"arn:aws:kms:us-east-1:1:key/x\"\n"), "Invalid service in ARN");
    assertInvalid(params("- objectName: \"arn:aws:secretsmanager\"\n"), "Invalid ARN format");
    assertInvalid(
        params("- objectName: " + SM_ARN + "\n  objectType: ssmparameter\n"),
        "objectType does not match");
    assertInvalid(
        params(
            "- objectName: a\n  objectType: ssmparameter\n  objectVersion: \"1\"\n  objectVersionLabel: L\n"),
        "ssm parameters can not specify both objectVersion and objectVersionLabel");
    assertThat(
            parse(
                    params(
                        "- objectName: a\n  objectType: secretsmanager\n  objectVersion: v\n  objectVersionLabel: L\n"))
                .objects())
        .hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/../b", "../a", "a/.."})
  void traversal_refused(String alias) {
    assertInvalid(
        params(
            "- objectName: a\n  objectType: secretsmanager\n  objectAlias: \"" + alias + "\"\n",
            "pathTranslation",
            "False"),
        "path can not contain ../");
  }

  @ParameterizedTest
  @ValueSource(strings = {"600", "0800", "rw-r", "00600", "4755"})
  void filePermission_fourOctalDigits(String mode) {
    assertInvalid(
        params(
            "- objectName: a\n  objectType: secretsmanager\n  filePermission: \"" + mode + "\"\n"),
        "Invalid File Permission");
  }

  @Test
  void filePermission_unquotedYamlNumber_refusedAsUpstreamDoes() {
    // go-yaml v2 reads 0600 as the octal integer 384, which sigs.k8s.io/yaml turns into "384".
    assertInvalid(
        params("- objectName: a\n  objectType: secretsmanager\n  filePermission: 0600\n"),
        "Invalid File Permission");
  }

  @Test
  void jmes_rules_andInheritedMode() {
    AwsParameters p =
        parse(
            params(
                """
        - objectName: db
          objectType: secretsmanager
          filePermission: "0640"
          jmesPath:
            - path: username
              objectAlias: user
            - path: '"pass-word"'
              objectAlias: pass
              filePermission: "0400"
        """));
    assertThat(p.objects().get(0).jmes())
        .containsExactly(
            new AwsSpec.Jmes("username", "user", new FileMode(0640)),
            new AwsSpec.Jmes("\"pass-word\"", "pass", new FileMode(0400)));
    assertInvalid(
        params(
            "- objectName: db\n  objectType: secretsmanager\n  jmesPath:\n    - objectAlias: u\n"),
        "JMES Path must be specified");
    assertInvalid(
        params("- objectName: db\n  objectType: secretsmanager\n  jmesPath:\n    - path: u\n"),
        "Object alias must be specified for JMES object");
    assertInvalid(
        params(
            "- objectName: db\n  objectType: secretsmanager\n  jmesPath:\n    - path: \"a[\"\n      objectAlias: u\n"),
        "not a valid JMESPath expression");
  }

  @Test
  void failover_rules() {
    String base =
        "- objectName: " + SM_ARN + "\n  objectAlias: db\n  failoverObject:\n    objectName: ";
    String failoverArn = SM_ARN.replace("us-east-1", "us-west-2");
    AwsParameters p = parse(params(base + failoverArn + "\n", "failoverRegion", "us-west-2"));
    assertThat(p.objects().get(0).failover())
        .isEqualTo(new AwsSpec.Target("us-west-2", failoverArn, "", ""));
    assertInvalid(
        params(
            "- objectName: "
                + SM_ARN
                + "\n  failoverObject:\n    objectName: "
                + failoverArn
                + "\n",
            "failoverRegion",
            "us-west-2"),
        "object alias must be specified for objects with failover entries");
    assertInvalid(
        params(base + failoverArn + "\n"), "failoverObject requires the failoverRegion parameter");
    assertInvalid(
        params(base + SM_ARN + "\n", "failoverRegion", "us-west-2"),
        "ARN region must match failoverRegion");
    assertInvalid(
        params(base + failoverArn + "\n    objectVersion: v2\n", "failoverRegion", "us-west-2"),
        "failoverObject.objectVersion must match the primary objectVersion");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|''|''|''|no object alias, and no version label",
        "x|''|x|''|duplicate object alias, and no version label",
        "''|L|''|L|no object alias, and duplicate version label",
        "x|L|x|L|duplicate object alias, and duplicate version label"
      })
  void duplicateObjectName_upstreamsFourCases(
      String alias1, String label1, String alias2, String label2, String reason) {
    String entry =
        "- {objectName: a, objectType: secretsmanager, objectAlias: \"%s\", objectVersionLabel: \"%s\"}\n";
    assertInvalid(
        params(entry.formatted(alias1, label1) + entry.formatted(alias2, label2)),
        "objects[1] (\"a\"): found descriptor with duplicate object name, " + reason);
  }

  @Test
  void ssmFailoverObject_mayNotPinBothVersionAndLabel_andItsArnMustBeSsm() {
    String ssmArn = "arn:aws:ssm:us-west-2:123456789012:parameter/app/key";
    String base =
        "- objectName: /app/key\n  objectType: ssmparameter\n  objectAlias: key\n  failoverObject:\n    objectName: ";
    assertThat(
            parse(
                    params(
                        base + ssmArn + "\n    objectVersionLabel: L\n",
                        "failoverRegion",
                        "us-west-2"))
                .objects()
                .get(0)
                .failover())
        .isEqualTo(new AwsSpec.Target("us-west-2", ssmArn, "", "L"));
    assertInvalid(
        params(
            "- objectName: /app/key\n  objectType: ssmparameter\n  objectAlias: key\n  objectVersion: \"1\"\n  failoverObject:\n"
                + "    objectName: /app/key\n    objectVersion: \"1\"\n    objectVersionLabel: L\n",
            "failoverRegion",
            "us-west-2"),
        "ssm parameters can not specify both objectVersion and objectVersionLabel");
    assertInvalid(
        params(
            base + SM_ARN.replace("us-east-1", "us-west-2") + "\n", "failoverRegion", "us-west-2"),
        "objectType does not match the ARN's service");
    assertInvalid(
        params(base + "\"\"\n", "failoverRegion", "us-west-2"),
        "failoverObject: Object name must be specified");
  }

  @Test
  void duplicates_otherwiseRefusedByFileName() {
    assertThat(
            parse(
                    params(
                        "- objectName: a\n  objectType: secretsmanager\n- objectName: a\n  objectType: secretsmanager\n  objectAlias: b\n"))
                .objects())
        .hasSize(2);
    assertThat(
            parse(
                    params(
                        "- {objectName: a, objectType: secretsmanager, objectAlias: x, objectVersionLabel: L1}\n"
                            + "- {objectName: a, objectType: secretsmanager, objectAlias: y, objectVersionLabel: L2}\n"))
                .objects())
        .hasSize(2);
    // Upstream lets these two through and writes one file twice; the second would hide the first.
    assertInvalid(
        params(
            "- {objectName: a, objectType: secretsmanager, objectVersionLabel: L1}\n"
                + "- {objectName: a, objectType: secretsmanager, objectVersionLabel: L2}\n"),
        "objects[1] (\"a\"): Name already in use for objectAlias");
    assertInvalid(
        params(
            "- {objectName: a, objectType: secretsmanager, objectAlias: x}\n- {objectName: b, objectType: secretsmanager, objectAlias: x}\n"),
        "objects[1] (\"b\"): Name already in use for objectAlias");
    assertInvalid(
        params(
            "- objectName: a\n  objectType: secretsmanager\n  jmesPath:\n    - path: x\n      objectAlias: a\n"),
        "jmesPath[0]: Name already in use for objectAlias");
  }

  @Test
  void badYaml_nilEntry_andNonList() {
    assertInvalid(params("- objectName: [\n"), "Failed to load SecretProviderClass");
    assertInvalid(
        params("- objectName: a\n  objectType: secretsmanager\n-\n"), "Empty descriptor entry");
    assertInvalid(params("objectName: a\n"), "Failed to load SecretProviderClass");
  }

  @Test
  void messages_neverEchoValues() {
    String canary = "CANARY-s3cr3t value with spaces";
    assertThatThrownBy(() -> parse(params("- objectName: \"" + canary + "\"\n")))
        .hasMessageNotContaining("CANARY")
        .hasMessageContaining("objects[0]");
    assertThatThrownBy(() -> parse(params("- objectName: \"x: " + canary + "\n")))
        .hasMessageNotContaining("CANARY");
    assertThatThrownBy(
            () ->
                parse(
                    params(
                        "- objectName: a\n  objectType: secretsmanager\n  filePermission: \""
                            + canary
                            + "\"\n")))
        .hasMessageNotContaining("CANARY");
  }
}
