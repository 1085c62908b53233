// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import io.secretsstore.provider.json.JsonMappers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Audit events as JSON lines, one event per line, appended to a file or written to stdout (a
 * separate stream from the logs, which go to stderr). A failed write is logged once and counted,
 * never thrown into a mount.
 */
public final class JsonLinesAuditSink implements AuditSink {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditSink.class);

  private final OutputStream out;
  private final boolean ownsStream;
  private boolean failed;

  private JsonLinesAuditSink(OutputStream out, boolean ownsStream) {
    this.out = out;
    this.ownsStream = ownsStream;
  }

  /** Appends to a file (created 0600 if missing), or writes to stdout for {@code -}. */
  public static JsonLinesAuditSink open(String destination) {
    if (destination.equals("-")) {
      return new JsonLinesAuditSink(System.out, false);
    }
    try {
      Path path = Path.of(destination);
      if (!Files.exists(path)) {
        Files.createFile(
            path,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      }
      return new JsonLinesAuditSink(Files.newOutputStream(path, StandardOpenOption.APPEND), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit log " + destination, e);
    }
  }

  /** A sink writing to a stream the caller owns (tests). */
  public static JsonLinesAuditSink to(OutputStream out) {
    return new JsonLinesAuditSink(out, false);
  }

  @Override
  public synchronized void record(AuditEvent event) {
    try {
      byte[] line =
          (JsonMappers.WRITER.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
      out.write(line);
      out.flush();
    } catch (IOException | JacksonException e) {
      if (!failed) {
        failed = true;
        LOG.atError()
            .addKeyValue("exception", e.getClass().getName())
            .log("writing the audit log failed");
      }
    }
  }

  @Override
  public synchronized void close() {
    if (ownsStream) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.atWarn().log("closing the audit log failed");
      }
    }
  }
}
