// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.audit;

/** Where audit events go. Implementations must not block a mount for long or throw. */
public interface AuditSink extends AutoCloseable {
  /** Drops every event. */
  AuditSink NONE = event -> {};

  void record(AuditEvent event);

  @Override
  default void close() {}
}
