package dev.jobengine.master.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header line and one line per row, columns two spaces apart, each as wide
 * as its widest cell; numeric columns right-aligned. Control characters in cells are shown as
 * escapes, so that each row stays on one line. No trailing spaces.
 */
final class TextTable {
  private final List<String> headers = new ArrayList<>();
  private final List<Boolean> right = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();

  /** Adds a left-aligned column. */
  TextTable column(String header) {
    return column(header, false);
  }

  /** Adds a column, right-aligned if {@code alignRight} (numbers). */
  TextTable column(String header, boolean alignRight) {
    if (!rows.isEmpty()) {
      throw new IllegalStateException("columns come before rows");
    }
    headers.add(header);
    right.add(alignRight);
    return this;
  }

  /** Adds a row: one cell per column, each a string (null shown as "-") or any value's toString. */
  TextTable row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(headers.size() + " columns, " + cells.length + " cells");
    }
    List<String> row = new ArrayList<>(cells.length);
    for (Object cell : cells) {
      row.add(cell == null ? "-" : printable(cell.toString()));
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The table, each line ending with a newline. */
  String render() {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, widths);
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    return out.toString();
  }

  private void line(StringBuilder out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        line.append("  ");
      }
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      line.append(right.get(c) ? pad + cell : cell + pad);
    }
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') {
      end--;
    }
    out.append(line, 0, end).append('\n');
  }

  /** Control characters as escapes ({@code \n}, {@code \t}, {@code \u001b}): a cell is one line. */
  static String printable(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
      if (control && b == null) {
        b = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (b != null) {
        if (!control) {
          b.append(c);
        } else if (c == '\n') {
          b.append("\\n");
        } else if (c == '\t') {
          b.append("\\t");
        } else if (c == '\r') {
          b.append("\\r");
        } else {
          b.append(String.format("\\u%04x", (int) c));
        }
      }
    }
    return b == null ? s : b.toString();
  }
}
