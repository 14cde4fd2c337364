package dev.hotfix.cli.hotfix;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns as {@code kubectl get} prints them: left-aligned, three spaces apart, upper-case
 * headers; a cell stays on its line (line breaks and control characters escaped). Numeric
 * columns can be right-aligned (the benchmark's figures). The CLI and the benchmark share it.
 * Hand-written rather than a table library: forty lines, and the cells must pass TerminalSafe.
 */
public final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] rightAligned;

  public Table(String... headers) {
    rows.add(headers);
    rightAligned = new boolean[headers.length];
  }

  /** Right-aligns the given columns (zero-based), as numbers are read. */
  public Table alignRight(int... columns) {
    for (int c : columns) {
      rightAligned[c] = true;
    }
    return this;
  }

  public Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  /** The lines, each prefixed with {@code indent}, without trailing spaces. */
  public List<String> lines(String indent) {
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
        String cell = text(r, i);
        String pad = " ".repeat(widths[i] - cell.length());
        line.append(rightAligned[i] ? pad + cell : cell + pad);
        if (i < columns - 1) {
          line.append("   ");
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  private static String text(String[] row, int i) {
    return i < row.length && row[i] != null ? TerminalSafe.cell(row[i]) : "";
  }
}
