// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of a test at TRACE (the highest level), rendered whole: message,
 * key-value pairs, arguments and any throwable with its messages. Register with
 * {@code @RegisterExtension}; then assert that no canary appears.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Level previous;

  @Override
  public void beforeEach(ExtensionContext context) {
    Logger root = root();
    previous = root.getLevel();
    appender.list.clear();
    appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.TRACE);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Logger root = root();
    root.detachAppender(appender);
    root.setLevel(previous);
  }

  /** Every captured event rendered as text. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (ILoggingEvent event : List.copyOf(appender.list)) {
      out.append(event.getLevel())
          .append(' ')
          .append(event.getLoggerName())
          .append(' ')
          .append(event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        event
            .getKeyValuePairs()
            .forEach(kv -> out.append(' ').append(kv.key).append('=').append(kv.value));
      }
      if (event.getArgumentArray() != null) {
        for (Object argument : event.getArgumentArray()) {
          out.append(' ').append(argument);
        }
      }
      IThrowableProxy throwable = event.getThrowableProxy();
      if (throwable != null) {
        out.append('\n').append(ThrowableProxyUtil.asString(throwable));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Fails if any canary appears in the captured logs, as text, hex or base64. */
  public void assertNoCanary(String... canaries) {
    assertNoCanaryIn(text(), canaries);
  }

  /** Fails if any canary appears in {@code text} as itself or in its hex or base64 encodings. */
  public static void assertNoCanaryIn(String text, String... canaries) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    for (String canary : canaries) {
      byte[] bytes = canary.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text).as("output must not contain a canary").doesNotContain(canary);
      assertThat(lower)
          .as("output must not contain a canary in hex")
          .doesNotContain(java.util.HexFormat.of().formatHex(bytes));
      // Base64 of a prefix long enough to be distinctive, aligned so it encodes the same anywhere.
      String base64 =
          java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, 12));
      assertThat(text).as("output must not contain a canary in base64").doesNotContain(base64);
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
