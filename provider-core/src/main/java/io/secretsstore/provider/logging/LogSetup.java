// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures logging for a command: JSON lines (logback's JSON encoder) or text, to stderr, at a
 * level. gRPC and Netty log through java.util.logging; that is routed here too.
 */
public final class LogSetup {
  /** The output formats of {@code --log-format}. */
  public enum Format {
    json,
    text
  }

  private LogSetup() {}

  /** Replaces the logging configuration, and routes java.util.logging (gRPC, Netty) here. */
  public static void configure(Format format, String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    install(context, format, level);
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
  }

  /** One stderr appender in the format, the root level, and the pinned library levels. */
  static void install(LoggerContext context, Format format, String level) {
    Encoder<ILoggingEvent> encoder = format == Format.json ? jsonEncoder(context) : textEncoder(context);
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    root.setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
    pinLibraryLevels(context);
  }

  /**
   * Keeps wire loggers at INFO whatever the root level: at DEBUG gRPC's HTTP/2 frame logger
   * hex-dumps DATA frames (tokens, attributes, secret file contents), and at TRACE fabric8's HTTP
   * logging writes request and response bodies (Secrets, TokenRequest tokens). Netty also warns
   * about SO_KEEPALIVE on Unix domain sockets, which is harmless.
   */
  static void pinLibraryLevels(LoggerContext context) {
    context.getLogger("io.grpc.netty.shaded").setLevel(Level.INFO);
    context.getLogger("io.fabric8.kubernetes.client.http").setLevel(Level.INFO);
    context.getLogger("io.grpc.netty.shaded.io.netty.bootstrap").setLevel(Level.ERROR);
  }

  /** Changes the root level at runtime; unknown names fall back to INFO. */
  public static void setLevel(String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    // Arguments are already rendered into the message and the key-value pairs.
    encoder.setWithArguments(false);
    encoder.setWithContext(false);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{20} %msg %kvp%n");
    encoder.start();
    return encoder;
  }
}
