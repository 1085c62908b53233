// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.logging;

import org.jspecify.annotations.Nullable;

/**
 * Describes an exception for the log without its messages: the type and stack of each cause. A
 * library's message can quote what it was parsing or the body a server sent, which may be secret.
 */
public final class SafeThrowables {
  private static final int MAX_FRAMES = 12;
  private static final int MAX_CAUSES = 5;

  private SafeThrowables() {}

  /** The types and top frames of the exception and its causes, one line per frame. */
  public static String describe(@Nullable Throwable throwable) {
    StringBuilder out = new StringBuilder();
    Throwable current = throwable;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
      if (depth > 0) {
        out.append("\ncaused by ");
      }
      out.append(current.getClass().getName());
      StackTraceElement[] frames = current.getStackTrace();
      for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
        out.append("\n\tat ").append(frames[i]);
      }
      current = current.getCause() == current ? null : current.getCause();
    }
    return out.toString();
  }
}
