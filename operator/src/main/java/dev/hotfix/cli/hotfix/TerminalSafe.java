package dev.hotfix.cli.hotfix;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * What the CLI prints comes partly from other people (reasons, tickets, comments, approver
 * names from annotations, messages quoting them): escape sequences in it could repaint the
 * reader's terminal (fake a "Succeeded", hide a line) or reverse text. Control characters
 * other than line breaks and tabs, C1 controls and Unicode bidirectional overrides are written
 * as visible escapes ({@code \x1b}, {@code \u202e}); the schema refuses most of them already,
 * this covers what was stored before it did or came in through annotations.
 */
final class TerminalSafe {
  private TerminalSafe() {
  }

  /** A writer that escapes what it is given (line breaks and tabs pass). */
  static PrintWriter wrap(PrintWriter out) {
    return new PrintWriter(new FilterWriter(out) {
      @Override
      public void write(int c) throws IOException {
        out.write(escape(String.valueOf((char) c), false));
      }

      @Override
      public void write(char[] buf, int off, int len) throws IOException {
        out.write(escape(new String(buf, off, len), false));
      }

      @Override
      public void write(String str, int off, int len) throws IOException {
        out.write(escape(str.substring(off, off + len), false));
      }
    }, true);
  }

  /** A table cell: one line, so line breaks and tabs are escaped too. */
  static String cell(String text) {
    return text == null ? null : escape(text, true);
  }

  static String escape(String text, boolean oneLine) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean layout = c == '\n' || c == '\t';
      String replacement = !unsafe(c) || (layout && !oneLine) ? null
          : c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r"
          : c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
      if (replacement != null && sb == null) {
        sb = new StringBuilder(text.substring(0, i));
      }
      if (sb != null) {
        sb.append(replacement != null ? replacement : String.valueOf(c));
      }
    }
    return sb == null ? text : sb.toString();
  }

  private static boolean unsafe(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  }
}
