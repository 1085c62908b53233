// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path template such as {@code /secrets/{name}/{version*}}: literal segments match exactly,
 * {@code {name}} matches one non-empty segment, and a final {@code {rest*}} matches whatever is
 * left (zero or more segments, joined with {@code /}). Segments are percent-decoded before
 * matching, so an encoded {@code /} stays inside its segment.
 */
final class PathPattern {
  private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)(\\*?)}");

  private final String text;
  private final List<String> literals; // null where a variable is
  private final List<String> names; // null where a literal is
  private final boolean endsWithRest;

  private PathPattern(
      String text, List<String> literals, List<String> names, boolean endsWithRest) {
    this.text = text;
    this.literals = literals;
    this.names = names;
    this.endsWithRest = endsWithRest;
  }

  static PathPattern parse(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("a path pattern starts with /: " + text);
    }
    String[] parts = text.substring(1).split("/", -1);
    List<String> literals = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean rest = false;
    for (int i = 0; i < parts.length; i++) {
      Matcher m = VARIABLE.matcher(parts[i]);
      if (m.matches()) {
        rest = !m.group(2).isEmpty();
        if (rest && i != parts.length - 1) {
          throw new IllegalArgumentException("only the last segment may be {name*}: " + text);
        }
        if (!seen.add(m.group(1))) {
          throw new IllegalArgumentException("variable " + m.group(1) + " appears twice: " + text);
        }
        literals.add(null);
        names.add(m.group(1));
      } else if (parts[i].contains("{") || parts[i].contains("}")) {
        throw new IllegalArgumentException("a variable must be a whole segment: " + text);
      } else {
        literals.add(parts[i]);
        names.add(null);
      }
    }
    return new PathPattern(
        text, Collections.unmodifiableList(literals), Collections.unmodifiableList(names), rest);
  }

  /** The variables of a matching raw path, or null when it does not match. */
  Map<String, String> match(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return null;
    }
    String[] raw = rawPath.substring(1).split("/", -1);
    int fixed = endsWithRest ? literals.size() - 1 : literals.size();
    if (endsWithRest ? raw.length < fixed : raw.length != fixed) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < fixed; i++) {
      String segment = UrlEncoded.decodePathSegment(raw[i]);
      String literal = literals.get(i);
      if (literal != null ? !literal.equals(segment) : segment.isEmpty()) {
        return null;
      }
      if (literal == null) {
        values.put(names.get(i), segment);
      }
    }
    if (endsWithRest) {
      List<String> rest = new ArrayList<>();
      for (int i = fixed; i < raw.length; i++) {
        rest.add(UrlEncoded.decodePathSegment(raw[i]));
      }
      values.put(names.get(fixed), String.join("/", rest));
    }
    return Collections.unmodifiableMap(values);
  }

  @Override
  public String toString() {
    return text;
  }
}
