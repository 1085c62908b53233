// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Keeps the AWS SDK's loggers at INFO whatever the root level: at DEBUG and TRACE its request,
 * retry and wire loggers print error answers whole (the service's message quotes what the request
 * named, and an error body is the backend's, so a tenant's backend can put anything there) and
 * request headers. The provider logs its own account of every call instead.
 */
final class SdkLoggers {
  /** The SDK's root logger: request, retry, auth and HTTP client loggers are all below it. */
  static final String SDK = "software.amazon.awssdk";

  private SdkLoggers() {}

  /** Pins the level; called when the backend starts, after the command configured logging. */
  static void pin() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(SDK).setLevel(Level.INFO);
    }
  }
}
