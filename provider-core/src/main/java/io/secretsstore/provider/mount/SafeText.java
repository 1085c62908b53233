// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Renders user-supplied names for messages that anyone who can describe a pod will read. A name
 * that looks like a name (letters, digits and a few separators) is quoted; anything else is
 * replaced by its position, so no message ever echoes arbitrary input.
 */
public final class SafeText {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+=-]{0,252}");

  private SafeText() {}

  /** {@code "name"} when it is a plain name, otherwise {@code #index}. */
  public static String name(String name, int index) {
    return isPlainName(name) ? "\"" + name + "\"" : "#" + index;
  }

  /** {@code objects[index] ("name")} or {@code objects[index]} when the name is not plain. */
  public static String element(String list, int index, String name) {
    String ref = list + "[" + index + "]";
    return isPlainName(name) ? ref + " (\"" + name + "\")" : ref;
  }

  /**
   * An unknown key of a user's YAML or JSON, for a refusal that lists the known ones. It is quoted
   * only when it is a plain name within two edits of a known key (a typo such as {@code
   * filePermision}), since only then does quoting it help; anything else is {@code #index}. A key
   * is user input too: a value pasted onto the line before a field becomes part of a key.
   */
  public static String unknownKey(String key, int index, Collection<String> known) {
    if (isPlainName(key)) {
      for (String candidate : known) {
        if (withinTwoEdits(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT))) {
          return "\"" + key + "\"";
        }
      }
    }
    return "#" + index;
  }

  /** Levenshtein distance at most 2, computed only while it can still be. */
  private static boolean withinTwoEdits(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 2) {
      return false;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      int rowMin = current[0];
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
        rowMin = Math.min(rowMin, current[j]);
      }
      if (rowMin > 2) {
        return false;
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()] <= 2;
  }

  /** Whether a name is safe to quote in a message. */
  public static boolean isPlainName(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
