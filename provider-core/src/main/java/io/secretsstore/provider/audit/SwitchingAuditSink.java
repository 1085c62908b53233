// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An audit sink whose destination can change while mounts run (the configuration file changed
 * {@code auditLog}). The new destination is opened before the switch, so a destination that cannot
 * be opened leaves the old one in force; the switch itself happens under the lock every event is
 * written under, so each event goes to exactly one destination: none is lost or written twice.
 */
public final class SwitchingAuditSink implements AuditSink {
  private static final Logger LOG = LoggerFactory.getLogger(SwitchingAuditSink.class);

  private final Function<String, AuditSink> opener;
  private final Object switching = new Object();
  private AuditSink current;
  private String destination;

  /**
   * @param opener opens a non-empty destination ({@link JsonLinesAuditSink#open} outside tests)
   */
  SwitchingAuditSink(Function<String, AuditSink> opener, String destination) {
    this.opener = opener;
    this.destination = destination;
    this.current = openSink(destination);
  }

  /**
   * A sink writing JSON lines to a file, to stdout for {@code -}, or nowhere for an empty
   * destination.
   */
  public static SwitchingAuditSink open(String destination) {
    return new SwitchingAuditSink(JsonLinesAuditSink::open, destination);
  }

  private AuditSink openSink(String to) {
    return to.isEmpty() ? AuditSink.NONE : opener.apply(to);
  }

  /** Whether events are written anywhere. */
  public synchronized boolean enabled() {
    return current != AuditSink.NONE;
  }

  /**
   * Sends the following events to another destination; nothing happens when it is the current one.
   *
   * @throws IllegalArgumentException naming {@code auditLog} when the destination cannot be opened
   */
  public void switchTo(String next) {
    synchronized (switching) {
      synchronized (this) {
        if (next.equals(destination)) {
          return;
        }
      }
      AuditSink opened;
      try {
        // Opened outside the event lock: mounts keep writing to the old destination meanwhile.
        opened = openSink(next);
      } catch (UncheckedIOException e) {
        throw new IllegalArgumentException(
            "auditLog cannot be opened ("
                + Objects.requireNonNull(e.getCause()).getClass().getSimpleName()
                + ")");
      }
      AuditSink previous;
      synchronized (this) {
        previous = current;
        current = opened;
        destination = next;
      }
      previous.close();
      LOG.atInfo()
          .addKeyValue("auditLog", next.isEmpty() ? "off" : next)
          .log("audit destination switched");
    }
  }

  @Override
  public synchronized void record(AuditEvent event) {
    current.record(event);
  }

  @Override
  public synchronized void close() {
    current.close();
  }
}
