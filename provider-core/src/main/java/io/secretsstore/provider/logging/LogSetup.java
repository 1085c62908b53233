// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.secretsstore.provider.ProviderVersion;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures logging for a command: JSON lines in Elastic Common Schema ({@link EcsLogEncoder}) or
 * text, to stderr, at a level. gRPC and Netty log through java.util.logging; that is routed here
 * too.
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
    Encoder<ILoggingEvent> encoder =
        format == Format.json ? jsonEncoder(context) : textEncoder(context);
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
   *
   * <p>Two library warnings are about events that are not faults, so they are kept to ERROR:
   * Caffeine warns with a stack trace whenever an asynchronous load fails, which for the object
   * cache is an ordinary NOT_FOUND or PERMISSION_DENIED that the Mount already reports; and the
   * Azure SDK's JDK HTTP client warns on every Key Vault call that it drops the {@code
   * content-length} header the SDK itself sets (the JDK computes that header anyway).
   */
  static void pinLibraryLevels(LoggerContext context) {
    context.getLogger("io.grpc.netty.shaded").setLevel(Level.INFO);
    context.getLogger("io.fabric8.kubernetes.client.http").setLevel(Level.INFO);
    context.getLogger("io.grpc.netty.shaded.io.netty.bootstrap").setLevel(Level.ERROR);
    context.getLogger("com.github.benmanes.caffeine.cache.LocalAsyncCache").setLevel(Level.ERROR);
    context.getLogger("com.azure.core.http.jdk.httpclient.JdkHttpClient").setLevel(Level.ERROR);
  }

  /** Changes the root level at runtime; unknown names fall back to INFO. */
  public static void setLevel(String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    EcsLogEncoder encoder =
        EcsLogEncoder.forService("secrets-store-provider", ProviderVersion.get());
    encoder.setContext(context);
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
