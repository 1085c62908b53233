// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.yaml;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Function;

/**
 * The parsed form of a SecretProviderClass parameter, remembered by its exact text. The driver
 * re-mounts every pod each rotation poll interval with the same text, and parsing its YAML was
 * about a third of the CPU of a Mount served from the cache; the result is the same every time, so
 * it is parsed once.
 *
 * <p>Only successful parses are remembered: a refused text is parsed, and refused, every time. The
 * memory is bounded by the characters of the texts held ({@link #MAX_CHARS}; the parsed values are
 * of the same order), not by their count, so a tenant sending ever-new texts only evicts entries,
 * and the worst another tenant then pays is the parse it would pay without this memo.
 *
 * @param <T> the parsed form; must be immutable, since every caller with the same text shares it
 */
public final class ParsedParameters<T> {
  /** Two full-size parameters (128 KiB each), or hundreds of ordinary ones (1 to 2 KiB). */
  public static final long MAX_CHARS = 256 * 1024;

  private final Function<String, T> parser;
  private final Cache<String, T> parsed;

  /**
   * {@code parser} parses a text or throws; it is called at most once per text while remembered.
   */
  public ParsedParameters(Function<String, T> parser) {
    this(parser, MAX_CHARS);
  }

  ParsedParameters(Function<String, T> parser, long maxChars) {
    this.parser = parser;
    this.parsed =
        Caffeine.newBuilder()
            .maximumWeight(maxChars)
            .<String, T>weigher((text, value) -> Math.max(1, text.length()))
            .executor(Runnable::run)
            .build();
  }

  /** The parsed form of {@code text}: remembered, or parsed now (and remembered if it parses). */
  public T parse(String text) {
    T known = parsed.getIfPresent(text);
    if (known != null) {
      return known;
    }
    // Not Cache.get(text, parser): a parser that throws would be called inside the cache's
    // compute, and concurrent first Mounts of one text may each parse it; the result is the same.
    T result = parser.apply(text);
    parsed.put(text, result);
    return result;
  }

  /** Texts remembered now, for tests. */
  long size() {
    parsed.cleanUp();
    return parsed.estimatedSize();
  }
}
