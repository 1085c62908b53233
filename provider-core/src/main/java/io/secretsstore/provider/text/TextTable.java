// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.text;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table for command output: columns as wide as their widest cell, two spaces apart,
 * left-aligned except columns marked for numbers.
 */
public final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] rightAligned;

  /** A table with these column headers. */
  public TextTable(String... header) {
    rows.add(header.clone());
    rightAligned = new boolean[header.length];
  }

  /** Right-aligns a column (sizes, counts). */
  public TextTable alignRight(int column) {
    rightAligned[column] = true;
    return this;
  }

  /** Adds a row with one cell per column. */
  public TextTable add(String... cells) {
    if (cells.length != rightAligned.length) {
      throw new IllegalArgumentException("a row has " + rightAligned.length + " cells");
    }
    rows.add(cells.clone());
    return this;
  }

  public void print(PrintWriter out) {
    int columns = rightAligned.length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String pad = " ".repeat(widths[c] - row[c].length());
        boolean last = c == columns - 1;
        line.append(rightAligned[c] ? pad + row[c] : last ? row[c] : row[c] + pad);
        if (!last) {
          line.append("  ");
        }
      }
      out.println(line);
    }
  }
}
