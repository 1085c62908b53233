// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Which audit lines the fingerprint report reads, and how it names owners. */
class FingerprintReportTest {
  private static String line(String backend, String namespace, String objectId) {
    return "{\"backend\":"
        + backend
        + ",\"namespace\":"
        + namespace
        + ",\"objectId\":"
        + objectId
        + ",\"fingerprint\":\"hmac-sha256:aa\",\"outcome\":\"OK\"}";
  }

  private static FingerprintReport read(String... lines) throws IOException {
    FingerprintReport report = new FingerprintReport();
    report.read(new BufferedReader(new StringReader(String.join("\n", lines))));
    return report;
  }

  /** A JSON value nested {@code depth} levels deep (arrays inside one another). */
  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @Test
  void oneValueUnderTwoOwners_isAReuse() throws IOException {
    FingerprintReport report =
        read(line("\"vault\"", "\"team-a\"", "\"db\""), line("\"aws\"", "\"team-b\"", "\"db\""));

    assertThat(report.reuses())
        .containsExactly(
            new FingerprintReport.Reuse(
                "hmac-sha256:aa", java.util.List.of("aws team-b/db", "vault team-a/db")));
    assertThat(report.events()).isEqualTo(2);
    assertThat(report.skipped()).isZero();
  }

  @Test
  void fieldsThatAreNotStrings_areNamedAsBefore() throws IOException {
    FingerprintReport report =
        read(
            line("null", "{\"a\":1}", "[1]"),
            line("true", "7", "2.5"),
            line("\"vault\"", "\"team-a\"", "\"db\""));

    assertThat(report.reuses().get(0).owners())
        .containsExactly("null /", "true 7/2.5", "vault team-a/db");
  }

  @Test
  void linesThatAreNotObjects_areSkipped_andObjectsWithoutAnOkFingerprint_areIgnored()
      throws IOException {
    FingerprintReport report =
        read(
            "not json",
            "[1,2]",
            "\"text\"",
            "{\"outcome\":\"OK\"}",
            "{\"fingerprint\":\"hmac-sha256:aa\",\"outcome\":\"NOT_FOUND\"}",
            "{\"fingerprint\":{\"a\":1},\"outcome\":\"OK\"}",
            "",
            "{\"fingerprint\":\"x\",",
            "{'fingerprint':'x','outcome':'OK'}");

    assertThat(report.events()).isZero();
    assertThat(report.skipped()).isEqualTo(5);
    assertThat(report.distinctValues()).isZero();
  }

  @Test
  void contentAfterTheObject_isIgnoredAsBefore() throws IOException {
    FingerprintReport report =
        read(
            line("\"vault\"", "\"team-a\"", "\"db\"") + " trailing",
            line("\"aws\"", "\"team-b\"", "\"db\"") + "{}");

    assertThat(report.events()).isEqualTo(2);
    assertThat(report.skipped()).isZero();
  }

  @Test
  void nestingUpToAThousandLevels_isRead_andDeeperIsSkipped() throws IOException {
    String deep = "{\"extra\":" + nested(999) + ",\"fingerprint\":\"f\",\"outcome\":\"OK\"}";
    String tooDeep = "{\"extra\":" + nested(1000) + ",\"fingerprint\":\"f\",\"outcome\":\"OK\"}";

    FingerprintReport report = read(deep, tooDeep);

    assertThat(report.events()).isEqualTo(1);
    assertThat(report.skipped()).isEqualTo(1);
  }
}
