// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.vault;

/**
 * Checks the parameters that become part of a Vault URL path or header, so that a tenant can reach
 * only the API path its parameter names: no {@code ..} segment, written plainly or percent-encoded
 * in any case and any number of times ({@code %2e%2e}, {@code %2E.}, {@code %252e%252e}), no
 * backslash, no control character. Upstream cleans {@code ..} away (so {@code auth/../../sys/x}
 * becomes another endpoint); the provider refuses it. Messages name the key, never the value;
 * callers turn them into INVALID_ARGUMENT.
 */
final class VaultPaths {
  /** Decoding rounds after which a value still changing is refused outright. */
  private static final int MAX_DECODE_ROUNDS = 4;

  /** Vault's longest namespace paths are far shorter; longer is a mistake or an attack. */
  private static final int MAX_NAMESPACE_CHARS = 512;

  private VaultPaths() {}

  /**
   * Refuses a path (or the path part of {@code secretPath}, before {@code ?}) with a {@code ..}
   * segment or a character that could change how it is routed. A {@code .} segment stays allowed:
   * it names the same path, and upstream's cleaning drops it.
   *
   * @throws IllegalArgumentException with a message naming {@code key}
   */
  static void requireNoDotSegments(String key, String path) {
    String decoded = path;
    for (int round = 0; ; round++) {
      check(key, decoded);
      String next = percentDecode(decoded);
      if (next.equals(decoded)) {
        return;
      }
      if (round == MAX_DECODE_ROUNDS) {
        throw new IllegalArgumentException(key + " is percent-encoded too many times");
      }
      decoded = next;
    }
  }

  /**
   * A Vault namespace goes into the {@code X-Vault-Namespace} header: printable ASCII only, no dot
   * segments, of a sane length.
   */
  static void requireNamespace(String key, String namespace) {
    if (namespace.length() > MAX_NAMESPACE_CHARS) {
      throw new IllegalArgumentException(
          key + " is longer than " + MAX_NAMESPACE_CHARS + " characters");
    }
    for (int i = 0; i < namespace.length(); i++) {
      char c = namespace.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '?' || c == '#') {
        throw new IllegalArgumentException(
            key + " may hold only printable ASCII characters other than space, ? and #");
      }
    }
    requireNoDotSegments(key, namespace);
  }

  /** The path part of a {@code secretPath}: what precedes its query. */
  static String pathPart(String secretPath) {
    int mark = secretPath.indexOf('?');
    return mark < 0 ? secretPath : secretPath.substring(0, mark);
  }

  private static void check(String key, String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < ' ' || c == 0x7f || c == '\\') {
        throw new IllegalArgumentException(key + " holds a control character or a backslash");
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException(
            key + " must not hold a '..' segment, plain or percent-encoded");
      }
    }
  }

  /** One round of %XX decoding (bytes as Latin-1: only dots, slashes and controls matter here). */
  private static String percentDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%'
          && i + 2 < text.length()
          && hex(text.charAt(i + 1)) >= 0
          && hex(text.charAt(i + 2)) >= 0) {
        out.append((char) (hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2))));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
