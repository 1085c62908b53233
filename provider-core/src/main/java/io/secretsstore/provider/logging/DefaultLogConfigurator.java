// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's configuration until a command configures logging ({@link LogSetup}): text to stderr at
 * INFO with the wire loggers pinned. Found through {@link java.util.ServiceLoader}, so logback
 * never looks for an XML file: its XML configurator and the JDK's XML parser would load about 600
 * classes (megabytes of metaspace on every node) to say the same thing.
 */
public final class DefaultLogConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LogSetup.install(context, LogSetup.Format.text, "info");
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
