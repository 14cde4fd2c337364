package dev.hotfix.cli.hotfix;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns as {@code kubectl get} prints them: left-aligned, three spaces apart, upper-case
 * headers; a cell stays on its line (line breaks and control characters escaped).
 */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  Table(String... headers) {
    rows.add(headers);
  }

  Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  /** The lines, each prefixed with {@code indent}, without trailing spaces. */
  List<String> lines(String indent) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], text(r, i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < columns; i++) {
        line.append(i == columns - 1 ? text(r, i) : String.format("%-" + (widths[i] + 3) + "s", text(r, i)));
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  private static String text(String[] row, int i) {
    return i < row.length && row[i] != null ? TerminalSafe.cell(row[i]) : "";
  }
}
