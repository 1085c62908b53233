// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.util.Collection;
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
   * when it is a plain name no longer than the longest known key plus two (a typo such as {@code
   * filePermision}, or another provider's field); a longer one is {@code #index}: a key is user
   * input too, and a value pasted onto the line before a field becomes part of a longer key.
   */
  public static String unknownKey(String key, int index, Collection<String> known) {
    int longest = known.stream().mapToInt(String::length).max().orElse(0);
    return isPlainName(key) && key.length() <= longest + 2 ? "\"" + key + "\"" : "#" + index;
  }

  /** Whether a name is safe to quote in a message. */
  public static boolean isPlainName(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
