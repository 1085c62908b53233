// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.grpc.MountReply.ReturnedFile;
import io.secretsstore.provider.text.TextTable;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Prints what a pod would see: each file's path, mode and size, and the object versions the driver
 * would record. Contents are printed only when asked for, and then escaped so that a file cannot
 * drive the terminal; binary contents are shown as base64.
 */
public final class MountTable {
  private MountTable() {}

  /** Prints the files table (unless there are none), then the versions table. */
  public static void print(PrintWriter out, CheckedResponse response) {
    if (!response.files().isEmpty()) {
      TextTable files = new TextTable("PATH", "MODE", "SIZE").alignRight(2);
      for (ReturnedFile file : response.files().values()) {
        files.add(
            Printable.of(file.path()),
            String.format("%04o", file.mode() & 0777),
            Integer.toString(file.contents().length));
      }
      files.print(out);
      out.println();
    }
    TextTable versions = new TextTable("OBJECT", "VERSION");
    for (Map.Entry<String, String> version : response.versions().entrySet()) {
      versions.add(Printable.of(version.getKey()), Printable.of(version.getValue()));
    }
    versions.print(out);
  }

  /** Prints every file's contents under a header naming it. */
  public static void printContents(PrintWriter out, CheckedResponse response) {
    for (ReturnedFile file : response.files().values()) {
      out.println();
      out.println("==> " + Printable.of(file.path()) + " <==");
      String text = text(file.contents());
      if (text != null) {
        out.print(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
          out.println();
        }
      } else {
        out.println("(binary, " + file.contents().length + " bytes, base64)");
        out.println(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(file.contents()));
      }
    }
  }

  /**
   * The contents as text with control characters other than tab and newline escaped; null if not
   * UTF-8.
   */
  private static @Nullable String text(byte[] contents) {
    String decoded;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(contents))
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    for (String line : decoded.split("\n", -1)) {
      lines.add(Printable.of(line.replace("\t", "    ")));
    }
    return String.join("\n", lines);
  }
}
