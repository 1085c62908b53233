// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.conformance;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Temporarily sets the level of some loggers, and puts the old levels back. */
final class LogLevels {
  private final Map<Logger, Level> previous = new LinkedHashMap<>();

  private LogLevels() {}

  static LogLevels set(Level level, String... loggers) {
    LogLevels levels = new LogLevels();
    for (String name : loggers) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      levels.previous.put(logger, logger.getLevel());
      logger.setLevel(level);
    }
    return levels;
  }

  void restore() {
    previous.forEach(Logger::setLevel);
  }
}
