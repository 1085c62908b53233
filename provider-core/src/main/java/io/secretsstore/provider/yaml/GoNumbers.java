// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Go's number conversions that upstream providers' YAML decoding goes through, so that a scalar
 * becomes the same text or integer here as there.
 */
public final class GoNumbers {
  private GoNumbers() {}

  /** Go's {@code strconv.ParseInt(s, 0, 64)}: empty when the text is not such an integer. */
  public static Optional<BigInteger> parseInt(String text) {
    return parse(text, 63);
  }

  /** Go's {@code strconv.ParseUint(s, 0, 64)}: empty when the text is not such an integer. */
  public static Optional<BigInteger> parseUint(String text) {
    if (text.startsWith("+") || text.startsWith("-")) {
      return Optional.empty();
    }
    return parse(text, 64);
  }

  private static Optional<BigInteger> parse(String text, int bits) {
    String s = text;
    boolean negative = false;
    if (s.startsWith("+") || s.startsWith("-")) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    int radix = 10;
    boolean prefixed = false;
    if (s.length() > 1 && s.charAt(0) == '0') {
      char marker = Character.toLowerCase(s.charAt(1));
      if (marker == 'x' || marker == 'o' || marker == 'b') {
        radix = marker == 'x' ? 16 : marker == 'o' ? 8 : 2;
        s = s.substring(2);
      } else {
        radix = 8;
        s = s.substring(1);
      }
      prefixed = true;
    }
    // Go allows an underscore only between digits or right after a base prefix.
    if (s.isEmpty() || s.endsWith("_") || s.contains("__") || (!prefixed && s.startsWith("_"))) {
      return Optional.empty();
    }
    try {
      BigInteger value = new BigInteger(s.replace("_", ""), radix);
      value = negative ? value.negate() : value;
      boolean fits =
          negative
              ? value.negate().subtract(BigInteger.ONE).bitLength() <= bits
              : value.bitLength() <= bits;
      return fits ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Go's {@code strconv.FormatFloat(v, 'g', -1, 32)}, which sigs.k8s.io/yaml uses to turn a YAML
   * float into a string field: the shortest float32 digits, in exponent form when the exponent is
   * below -4 or at least 6 ({@code 1e+06}, {@code 1.5}, {@code 0.0001}, {@code 1e-05}).
   */
  public static String formatFloat32(double value) {
    float f = (float) value;
    if (Float.isNaN(f)) {
      return "NaN";
    }
    if (Float.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return (Float.floatToRawIntBits(f) < 0) ? "-0" : "0";
    }
    BigDecimal decimal = new BigDecimal(Float.toString(Math.abs(f))).stripTrailingZeros();
    String digits = decimal.unscaledValue().toString();
    int exponent = digits.length() - decimal.scale() - 1;
    StringBuilder out = new StringBuilder(f < 0 ? "-" : "");
    if (exponent < -4 || exponent >= 6) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exponent < 0 ? '-' : '+');
      int magnitude = Math.abs(exponent);
      out.append(magnitude < 10 ? "0" : "").append(magnitude);
    } else if (exponent < 0) {
      out.append("0.").append("0".repeat(-exponent - 1)).append(digits);
    } else if (digits.length() <= exponent + 1) {
      out.append(digits).append("0".repeat(exponent + 1 - digits.length()));
    } else {
      out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
    }
    return out.toString();
  }
}
