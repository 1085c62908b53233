// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scalars and merge keys as upstream's sigs.k8s.io/yaml (go-yaml v2, then a string for every string
 * field) reads them. Expected texts are what Go prints for the value go-yaml v2 resolves.
 */
class ObjectsYamlTest {
  private static AwsObject only(String objects) {
    List<AwsObject> parsed = ObjectsYaml.parse(objects);
    assertThat(parsed).hasSize(1);
    return parsed.get(0);
  }

  @ParameterizedTest(name = "objectVersion: {0} -> \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "1|1",
        "2024|2024",
        "0755|493",
        "0o17|15",
        "0x1F|31",
        "0b101|5",
        "1_000|1000",
        "-7|-7",
        "+7|7",
        "1.50|1.5",
        "1.0|1",
        "1e6|1e+06",
        "0.0001|0.0001",
        "0.00001|1e-05",
        "123456.5|123456.5",
        "1234567.0|1.234567e+06",
        ".5|0.5",
        ".inf|+Inf",
        "-.inf|-Inf",
        ".nan|NaN",
        "yes|true",
        "on|true",
        "Y|true",
        "no|false",
        "off|false",
        "FALSE|false",
        "2024-01-02|2024-01-02",
        "v1|v1",
        "1.2.3|1.2.3",
        "0x|0x",
        "12abc|12abc",
        "\"007\"|007",
        "007|7"
      })
  void plainScalarsBecomeTheStringsUpstreamsDecoderMakes(String written, String expected) {
    assertThat(only("- objectName: a\n  objectVersion: " + written + "\n").objectVersion())
        .isEqualTo(expected);
  }

  @Test
  void numericNamesAndVersionsInJsonFormToo() {
    AwsObject object =
        only("[{\"objectName\": 2024, \"objectVersion\": 1, \"objectType\": \"secretsmanager\"}]");
    assertThat(object.objectName()).isEqualTo("2024");
    assertThat(object.objectVersion()).isEqualTo("1");
  }

  @Test
  void nullSpellingsLeaveTheFieldEmpty() {
    assertThat(only("- objectName: a\n  objectAlias: ~\n  objectVersion: null\n").objectAlias())
        .isEmpty();
  }

  @Test
  void mergeKeysAreMerged() {
    List<AwsObject> parsed =
        ObjectsYaml.parse(
            """
        - &db
          objectName: db
          objectType: secretsmanager
          filePermission: "0440"
        - <<: *db
          objectAlias: db-copy
          objectVersionLabel: AWSPREVIOUS
        """);
    assertThat(parsed).hasSize(2);
    assertThat(parsed.get(1).objectName()).isEqualTo("db");
    assertThat(parsed.get(1).objectType()).isEqualTo("secretsmanager");
    assertThat(parsed.get(1).filePermission()).isEqualTo("0440");
    assertThat(parsed.get(1).objectAlias()).isEqualTo("db-copy");
  }

  @Test
  void aDeepDocumentIsInvalidArgumentNamingObjects() {
    assertThatThrownBy(() -> ObjectsYaml.parse("[".repeat(100_000)))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("objects is nested deeper than");
            });
  }
}
