// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.mount;

import java.util.regex.Pattern;

/**
 * A file mode between 0 and 0777. Setuid, setgid and sticky bits are refused: the driver's chmod
 * would drop or apply them unpredictably, and a secret never needs them.
 *
 * @param bits the permission bits, 0..511
 */
public record FileMode(int bits) {
  /** The mode the driver sends in {@code permission}: 0644. */
  public static final FileMode DEFAULT = new FileMode(0644);

  private static final int MAX = 0777;
  private static final Pattern OCTAL = Pattern.compile("0?[0-7]{1,3}");
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,3}");

  public FileMode {
    if (bits < 0 || bits > MAX) {
      throw new IllegalArgumentException("file mode must be between 0 and 0777");
    }
  }

  /**
   * Parses an octal mode as SecretProviderClasses write it ({@code "0600"}, {@code "600"}).
   *
   * @param key the parameter or field name, used in the error message
   */
  public static FileMode parseOctal(String text, String key) {
    if (text == null || !OCTAL.matcher(text).matches()) {
      throw ProviderException.invalidArgument(
          key + " must be an octal file mode between 0000 and 0777, e.g. \"0640\"");
    }
    return new FileMode(Integer.parseInt(text, 8));
  }

  /**
   * Parses the decimal mode of the request's {@code permission} field ({@code "420"} for 0644).
   *
   * @param key the field name, used in the error message
   */
  public static FileMode parseDecimal(String text, String key) {
    if (text == null || !DECIMAL.matcher(text).matches() || Integer.parseInt(text) > MAX) {
      throw ProviderException.invalidArgument(
          key + " must be a decimal file mode between 0 and 511, e.g. \"420\"");
    }
    return new FileMode(Integer.parseInt(text));
  }

  /** The mode as four octal digits, e.g. {@code 0644}. */
  public String octal() {
    return String.format("%04o", bits);
  }

  @Override
  public String toString() {
    return octal();
  }
}
