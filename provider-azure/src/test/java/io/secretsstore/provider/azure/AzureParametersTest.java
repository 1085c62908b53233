// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import static io.secretsstore.provider.azure.AzureTestBed.objects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.FileMode;
import io.secretsstore.provider.mount.ProviderException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Upstream's parameter rules and messages (reference A1-A2), plus the duplicate-file check. */
class AzureParametersTest {
  private static Map<String, String> attributes(String objects, String... pairs) {
    Map<String, String> attributes =
        new HashMap<>(Map.of("keyvaultName", " kv-app ", "tenantId", "t1", "objects", objects));
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        attributes.remove(pairs[i]);
      } else {
        attributes.put(pairs[i], pairs[i + 1]);
      }
    }
    return attributes;
  }

  private static AzureParameters parse(Map<String, String> attributes) {
    return AzureParameters.parse(attributes, FileMode.DEFAULT, false);
  }

  private static void assertInvalid(Map<String, String> attributes, String message) {
    assertThatThrownBy(() -> parse(attributes))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void everyFieldIsParsedAndTrimmed() {
    AzureParameters parameters =
        parse(
            attributes(
                objects(
                    "objectName: ' db '\nobjectType: secret\nobjectVersion: abc123\nobjectAlias: ' dir/file '\nobjectFormat: PFX\n"
                        + "objectEncoding: Base64\nfilePermission: 0600\nobjectVersionHistory: 3"),
                "tenantID",
                " t2 ",
                "clientID",
                " 0a1b-2c ",
                "usePodIdentity",
                "False",
                "cloudName",
                " AzureChinaCloud "));
    assertThat(parameters.vaultName()).isEqualTo("kv-app");
    assertThat(parameters.tenantId()).as("tenantID wins over tenantId").isEqualTo("t2");
    assertThat(parameters.clientId()).isEqualTo("0a1b-2c");
    assertThat(parameters.cloudName()).isEqualTo("AzureChinaCloud");
    assertThat(parameters.objects())
        .containsExactly(
            new AzureSpec(
                "db",
                ObjectType.SECRET,
                "abc123",
                "dir/file",
                true,
                AzureSpec.Encoding.BASE64,
                new FileMode(0600),
                3));
    assertThat(parameters.objects().get(0).path()).isEqualTo("dir/file/0");
  }

  @Test
  void defaults_latestVersionNameAsFileDriverModeSingleVersion() {
    AzureSpec spec = parse(attributes(objects("objectName: db\nobjectType: key"))).objects().get(0);
    assertThat(spec)
        .isEqualTo(
            new AzureSpec(
                "db",
                ObjectType.KEY,
                "",
                "db",
                false,
                AzureSpec.Encoding.UTF8,
                FileMode.DEFAULT,
                1));
  }

  @Test
  void anUnknownField_isRefusedByName_andAMisCasedOneNamesTheSpellingMeant() {
    assertInvalid(
        attributes(
            objects(
                "objectName: db\nobjectType: secret",
                "objectName: db2\nobjectType: secret\nfilePermision: 0600")),
        "objects.array[1] has an unknown field \"filePermision\"; the fields are objectName, objectType");
    // Upstream's yaml.v3 keys are case-sensitive: it would ignore ObjectAlias and name the file db.
    assertInvalid(
        attributes(objects("objectName: db\nobjectType: secret\nObjectAlias: app.pem")),
        "objects.array[0] has an unknown field \"ObjectAlias\" (did you mean objectAlias? keys are case-sensitive)");
    assertThat(
            parse(attributes(objects("objectName: db\nobjectType: secret\nfilePermission: 0600")))
                .objects()
                .get(0)
                .mode())
        .isEqualTo(new FileMode(0600));
    // A key that is not a plain name is shown by its position only.
    assertThatThrownBy(
            () ->
                parse(
                    attributes(objects("objectName: db\nobjectType: secret\n'S3CR3T canary': x"))))
        .hasMessageContaining("unknown field #2")
        .hasMessageNotContaining("S3CR3T");
  }

  @Test
  void emptyArrayAndEmptyObjects_giveNoObjects() {
    assertThat(parse(attributes("array:")).objects()).isEmpty();
    assertThat(parse(attributes("")).objects()).isEmpty();
    assertThat(
            parse(
                    attributes(
                        objects(
                            "objectName: a\nobjectType: secret\nobjectAlias:\nobjectVersion: ''")))
                .objects()
                .get(0)
                .fileName())
        .isEqualTo("a");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "keyvaultName|     |keyvaultName is not set",
        "keyvaultName|ab|Invalid vault name",
        "keyvaultName|my_vault|Invalid vault name",
        "keyvaultName|a-very-long-vault-name-over-24|Invalid vault name",
        "tenantId|   |tenantId is not provided",
        "usePodIdentity|yes|failed to parse usePodIdentity",
        "useVMManagedIdentity|2|failed to parse useVMManagedIdentity"
      })
  void parameterRules(String key, String value, String message) {
    assertInvalid(
        attributes(objects("objectName: a\nobjectType: secret"), key, value == null ? "" : value),
        message);
  }

  @Test
  void missingObjects_andExclusiveIdentityModes() {
    assertInvalid(attributes("", "objects", null), "objects is not set");
    assertInvalid(
        attributes("", "usePodIdentity", "true", "useVMManagedIdentity", "true"),
        "only one identity mode can be enabled at a time");
    assertInvalid(
        attributes("", "useAzureTokenProxy", "1", "useVMManagedIdentity", "t"),
        "only one identity mode");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "objectName: a\\nobjectType: secrets|Invalid vaultObjectTypes. Should be secret, key, or cert",
        "objectName: a\\nobjectType: key\\nobjectFormat: pfx|PFX format only supported for objectType: secret",
        "objectName: a\\nobjectType: secret\\nobjectFormat: der|invalid objectFormat, should be PEM or PFX",
        "objectName: a\\nobjectType: cert\\nobjectEncoding: hex|objectEncoding only supported for objectType: secret",
        "objectName: a\\nobjectType: secret\\nobjectEncoding: utf-16|invalid objectEncoding, should be hex, base64 or utf-8",
        "objectName: a\\nobjectType: secret\\nfilePermission: 0900|file permission must be a valid octal number",
        "objectName: a\\nobjectType: secret\\nfilePermission: rw|file permission must be a valid octal number",
        "objectName: a\\nobjectType: secret\\nobjectVersionHistory: many|objectVersionHistory must be a 32-bit integer",
        "objectName: a\\nobjectType: secret\\nobjectAlias: /etc/passwd|file name must be a relative path",
        "objectName: a\\nobjectType: secret\\nobjectAlias: x/../y|file name must not contain '..'",
        "objectName: a\\nobjectType: secret\\nobjectAlias: x..y|file name must not contain '..'",
        "objectType: secret|objectName is not set"
      })
  void objectRules_withUpstreamsMessagesAndContext(String element, String message) {
    assertInvalid(attributes(objects(element.replace("\\n", "\n"))), message);
  }

  @Test
  void objectErrorsCarryUpstreamsContext() {
    assertInvalid(
        attributes(objects("objectName: a\nobjectType: key\nobjectVersion: v1\nobjectFormat: pfx")),
        "failed to get objectType:key, objectName:\"a\", objectVersion:v1: PFX format only");
  }

  @Test
  void elementsMustBeYamlStrings() {
    assertInvalid(
        attributes("array:\n  - objectName: a\n    objectType: secret\n"), "must be a YAML string");
    assertInvalid(attributes("- objectName: a"), "objects must be a mapping with an array");
    assertInvalid(attributes("array: [\"a: [\"]"), "not valid YAML");
  }

  @Test
  void duplicateFileNames_areRefused_includingHistoryAndSeparateFiles() {
    assertInvalid(
        attributes(objects("objectName: a\nobjectType: secret", "objectName: a\nobjectType: key")),
        "duplicate file name \"a\": objects.array[0] and objects.array[1]");
    assertInvalid(
        attributes(
            objects(
                "objectName: a\nobjectType: secret\nobjectVersionHistory: 2",
                "objectName: b\nobjectType: secret\nobjectAlias: a/1")),
        "duplicate file name");
    Map<String, String> split =
        attributes(
            objects(
                "objectName: tls\nobjectType: secret",
                "objectName: k\nobjectType: key\nobjectAlias: tls.key"));
    assertThat(parse(split).objects()).hasSize(2);
    assertThatThrownBy(() -> AzureParameters.parse(split, FileMode.DEFAULT, true))
        .hasMessageContaining("duplicate file name");
    assertThat(
            parse(
                    attributes(
                        objects(
                            "objectName: a\nobjectType: secret",
                            "objectName: a\nobjectType: key\nobjectAlias: a-key")))
                .objects())
        .hasSize(2);
  }

  @Test
  void unquotedOctalPermissionKeepsItsLeadingZero() {
    assertThat(
            parse(attributes(objects("objectName: a\nobjectType: secret\nfilePermission: 0755")))
                .objects()
                .get(0)
                .mode())
        .isEqualTo(new FileMode(0755));
    assertThat(
            parse(attributes(objects("objectName: a\nobjectType: secret\nobjectVersionHistory: 0")))
                .objects()
                .get(0)
                .history())
        .isEqualTo(1);
  }
}
