// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The audit line format SIEMs parse: pinned byte for byte, so a JSON library swap cannot move it.
 */
class JsonLinesAuditSinkTest {
  private static AuditEvent event(String objectId, long durationMs) {
    return new AuditEvent(
        "2026-11-28T00:00:00Z",
        "5b1f2c1e-0d6a-4f3e-9a51-2f0c7d9e8b11",
        "event",
        "access",
        "mount",
        "node-1",
        "team-a",
        "app-7d4f9",
        "0b7c3e52",
        "app",
        "app-secrets",
        "vault",
        objectId,
        "3,4",
        "backend",
        "hmac-sha256:00ff",
        "OK",
        durationMs,
        "");
  }

  @Test
  void anEvent_isOneLine_inDeclarationOrder_withJsonEscapesOnlyWhereNeeded() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonLinesAuditSink sink = JsonLinesAuditSink.to(out);

    sink.record(event("db/\"quoted\"\\<x>&\u00e9\u2028\t\u0001/", 1234));
    sink.record(event("b", 0));

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"time\":\"2026-11-28T00:00:00Z\",\"eventId\":\"5b1f2c1e-0d6a-4f3e-9a51-2f0c7d9e8b11\","
                + "\"eventKind\":\"event\",\"eventType\":\"access\",\"action\":\"mount\","
                + "\"node\":\"node-1\",\"namespace\":\"team-a\",\"pod\":\"app-7d4f9\","
                + "\"podUid\":\"0b7c3e52\",\"serviceAccount\":\"app\","
                + "\"secretProviderClass\":\"app-secrets\",\"backend\":\"vault\","
                + "\"objectId\":\"db/\\\"quoted\\\"\\\\<x>&\u00e9\u2028\\t\\u0001/\","
                + "\"objectVersion\":\"3,4\",\"source\":\"backend\","
                + "\"fingerprint\":\"hmac-sha256:00ff\",\"outcome\":\"OK\",\"durationMs\":1234,"
                + "\"secret\":\"\"}\n"
                + "{\"time\":\"2026-11-28T00:00:00Z\",\"eventId\":\"5b1f2c1e-0d6a-4f3e-9a51-2f0c7d9e8b11\","
                + "\"eventKind\":\"event\",\"eventType\":\"access\",\"action\":\"mount\","
                + "\"node\":\"node-1\",\"namespace\":\"team-a\",\"pod\":\"app-7d4f9\","
                + "\"podUid\":\"0b7c3e52\",\"serviceAccount\":\"app\","
                + "\"secretProviderClass\":\"app-secrets\",\"backend\":\"vault\","
                + "\"objectId\":\"b\",\"objectVersion\":\"3,4\",\"source\":\"backend\","
                + "\"fingerprint\":\"hmac-sha256:00ff\",\"outcome\":\"OK\",\"durationMs\":0,"
                + "\"secret\":\"\"}\n");
  }

  @Test
  void aFailingStream_isNotThrownIntoTheMount() {
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("disk full");
          }
        };
    JsonLinesAuditSink sink = JsonLinesAuditSink.to(broken);

    assertThatCode(() -> sink.record(event("a", 1))).doesNotThrowAnyException();
    assertThatCode(() -> sink.record(event("a", 1))).doesNotThrowAnyException();
  }
}
