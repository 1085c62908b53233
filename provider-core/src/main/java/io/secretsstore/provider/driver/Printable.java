// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

/**
 * Makes text that a provider chose (paths, status descriptions, error codes) safe for a terminal:
 * control characters are shown escaped, so a response cannot move the cursor or rewrite output.
 */
final class Printable {
  private Printable() {}

  /** The text with control characters written as {@code \xNN} or {@code \\uNNNN}. */
  static String of(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else if ((c >= 0x80 && c < 0xa0)
          || c == '\u2028'
          || c == '\u2029'
          || (Character.isSurrogate(c) && !validPair(text, i))) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A path in a message: quoted, escaped. */
  static String quoted(String text) {
    return "\"" + of(text) + "\"";
  }

  private static boolean validPair(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
  }
}
