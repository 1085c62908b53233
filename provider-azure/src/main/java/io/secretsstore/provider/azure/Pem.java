// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM as Go's encoding/pem writes it: 64-character lines, LF endings, a final newline. */
final class Pem {
  private static final Base64.Encoder LINES =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n.*?-----END \\1-----\\r?\\n?", Pattern.DOTALL);

  private Pem() {}

  static String block(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + LINES.encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** The blocks of a PEM text whose type contains {@code typePart}, in order. */
  static String blocks(String pem, String typePart) {
    StringBuilder out = new StringBuilder();
    Matcher matcher = BLOCK.matcher(pem);
    while (matcher.find()) {
      if (matcher.group(1).contains(typePart)) {
        String block = matcher.group();
        out.append(block.endsWith("\n") ? block : block + "\n");
      }
    }
    return out.toString();
  }

  /** Every block type of a PEM text, in order. */
  static List<String> types(String pem) {
    List<String> types = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(pem);
    while (matcher.find()) {
      types.add(matcher.group(1));
    }
    return types;
  }
}
