// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import co.elastic.logging.JsonUtils;
import co.elastic.logging.logback.EcsEncoder;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * JSON log lines in Elastic Common Schema through Elastic's maintained encoder ({@code @timestamp},
 * {@code log.level}, {@code log.logger}, the formatted {@code message}, {@code error.*}), plus what
 * that encoder leaves out: SLF4J key-value pairs, written as top-level fields keeping their JSON
 * type (numbers and booleans unquoted), so a shipper can index them without parsing. Our two keys
 * that name ECS objects are written as their ECS fields: {@code error} (a gRPC status text) as
 * {@code error.message}, {@code exception} (types and frames, no messages) as {@code
 * error.stack_trace}; a plain {@code error} string would clash with the {@code error.*} mapping.
 */
public final class EcsLogEncoder extends EcsEncoder {
  private static final Map<String, String> ECS_NAMES =
      Map.of("error", "error.message", "exception", "error.stack_trace");

  /** The encoder for one service, e.g. {@code secrets-store-provider} at its version. */
  public static EcsLogEncoder forService(String name, String version) {
    EcsLogEncoder encoder = new EcsLogEncoder();
    encoder.setServiceName(name);
    encoder.setServiceVersion(version);
    return encoder;
  }

  @Override
  protected void addCustomFields(ILoggingEvent event, StringBuilder builder) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs == null) {
      return;
    }
    for (KeyValuePair pair : pairs) {
      if (pair.key == null || pair.key.isEmpty()) {
        continue;
      }
      builder.append('"');
      JsonUtils.quoteAsString(ECS_NAMES.getOrDefault(pair.key, pair.key), builder);
      builder.append("\":");
      appendValue(pair.value, builder);
      builder.append(',');
    }
  }

  private static void appendValue(Object value, StringBuilder builder) {
    if (value == null) {
      builder.append("null");
    } else if (value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      builder.append(value);
    } else if ((value instanceof Double || value instanceof Float)
        && Double.isFinite(((Number) value).doubleValue())) {
      builder.append(value);
    } else {
      builder.append('"');
      JsonUtils.quoteAsString(String.valueOf(value), builder);
      builder.append('"');
    }
  }
}
