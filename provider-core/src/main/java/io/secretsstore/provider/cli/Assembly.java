// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.cli;

import io.secretsstore.provider.logging.SafeThrowables;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running parts of a process ({@code serve}, {@code sync}), closed in the reverse of the order
 * they were built, so nothing is closed while a later part still uses it. A failure while building
 * closes what was built so far; one shutdown hook closes everything on SIGTERM.
 */
final class Assembly implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Assembly.class);

  /**
   * Adds the parts of a process to an assembly, in order, and returns what the process waits on.
   */
  @FunctionalInterface
  interface Steps<T> {
    T build(Assembly parts) throws Exception;
  }

  /** How one part is closed. */
  @FunctionalInterface
  interface Closing {
    void close() throws Exception;
  }

  private record Part(String name, Closing closing) {}

  private final Deque<Part> built = new ArrayDeque<>();

  /**
   * Runs {@code steps} on this assembly; when a step throws, closes the parts already added (last
   * first) and rethrows.
   */
  <T> T build(Steps<T> steps) throws Exception {
    try {
      return steps.build(this);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /**
   * Adds a part that is closed by {@code closing}, and returns it. Synchronized with {@link
   * #close}: a SIGTERM during start-up closes from the shutdown hook's thread while parts are still
   * added.
   */
  synchronized <T> T add(String name, T part, Closing closing) {
    built.push(new Part(name, closing));
    return part;
  }

  /** Adds a closeable part, and returns it. */
  <T extends AutoCloseable> T add(String name, T part) {
    return add(name, part, part::close);
  }

  /**
   * Closes every part on JVM shutdown, after {@code first} (which logs what the process is doing).
   */
  void closeOnShutdown(Runnable first) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  first.run();
                  close();
                  LOG.info("stopped");
                },
                "shutdown"));
  }

  /**
   * Closes the parts, the last built first. A part that fails to close is logged and the rest are
   * still closed; each part is closed at most once.
   */
  @Override
  public synchronized void close() {
    while (!built.isEmpty()) {
      Part part = built.pop();
      try {
        part.closing().close();
      } catch (Exception | Error e) {
        LOG.atWarn()
            .addKeyValue("part", part.name())
            .addKeyValue("exception", SafeThrowables.describe(e))
            .log("a part failed to close");
      }
    }
  }
}
