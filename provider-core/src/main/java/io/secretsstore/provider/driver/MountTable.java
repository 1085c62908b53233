// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.driver;

import io.secretsstore.provider.grpc.MountReply.ReturnedFile;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

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
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"PATH", "MODE", "SIZE"});
      for (ReturnedFile file : response.files().values()) {
        rows.add(new String[] {Printable.of(file.path()), String.format("%04o", file.mode() & 0777), Integer.toString(file.contents().length)});
      }
      printRows(out, rows, 2);
      out.println();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"OBJECT", "VERSION"});
    for (Map.Entry<String, String> version : response.versions().entrySet()) {
      rows.add(new String[] {Printable.of(version.getKey()), Printable.of(version.getValue())});
    }
    printRows(out, rows, -1);
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

  /** The contents as text with control characters other than tab and newline escaped; null if not UTF-8. */
  private static String text(byte[] contents) {
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
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

  /** Left-aligned columns; {@code rightColumn} (or -1) is right-aligned, for numbers. */
  private static void printRows(PrintWriter out, List<String[]> rows, int rightColumn) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String cell = row[c];
        String pad = " ".repeat(widths[c] - cell.length());
        line.append(c == rightColumn ? pad + cell : (c == columns - 1 ? cell : cell + pad));
        if (c < columns - 1) {
          line.append("  ");
        }
      }
      out.println(line);
    }
  }
}
