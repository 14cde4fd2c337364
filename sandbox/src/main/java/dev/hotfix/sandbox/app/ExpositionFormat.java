package dev.hotfix.sandbox.app;

/**
 * The bits of Prometheus' text exposition format (version 0.0.4) the simulated app writes. The
 * format is small enough that writing it directly keeps series for deleted pods trivially
 * removable and costs no per-meter registry bookkeeping for thousands of pods.
 */
final class ExpositionFormat {

  /** The content type Prometheus expects for the text format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private ExpositionFormat() {}

  /** Writes the {@code # HELP} and {@code # TYPE} lines that open a metric family. */
  static void family(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** Writes {@code name="value"} with the value escaped as the format requires. */
  static void label(StringBuilder out, String name, String value) {
    out.append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    out.append('"');
  }
}
