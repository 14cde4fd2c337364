package dev.hotfix.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hotfix.cli.hotfix.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmark's results: figures collected as scenarios finish, printed as a table for people
 * and written as JSON (an array of figures) or CSV (one figure per line) for tools.
 */
final class Report {
  private static final List<String> COLUMNS = List.of("section", "scenario", "subject", "measure", "trials", "median",
      "p95", "max", "unit", "note");

  private final List<Figure> figures = new ArrayList<>();
  private final List<String> context = new ArrayList<>();

  synchronized void add(Figure f) {
    figures.add(f);
  }

  /** A line saying how the figures were taken (machine, sandbox tuning), printed above the table. */
  synchronized void describe(String line) {
    context.add(line);
  }

  synchronized List<Figure> figures() {
    return List.copyOf(figures);
  }

  /** The table of every figure so far, numbers right-aligned. */
  synchronized void print(PrintStream out) {
    context.forEach(out::println);
    Table table = new Table(COLUMNS.toArray(String[]::new)).alignRight(4, 5, 6, 7);
    for (Figure f : figures) {
      table.row(f.section(), f.scenario(), f.subject(), f.measure(), f.trials() + "/" + f.of(),
          number(f.value()), number(f.p95()), number(f.max()), f.unit(), f.note() == null ? "" : f.note());
    }
    table.lines("").forEach(out::println);
  }

  /** Writes the figures to {@code file}: CSV when its name ends in {@code .csv}, JSON otherwise. */
  synchronized void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
      Stream<String> lines = figures.stream().map(f -> Stream.of(f.section(), f.scenario(), f.subject(), f.measure(),
          String.valueOf(f.trials()), String.valueOf(f.of()), number(f.value()), number(f.p95()), number(f.max()),
          f.unit(), f.note() == null ? "" : f.note()).map(Report::csv).collect(Collectors.joining(",")));
      Files.write(file, Stream.concat(Stream.of("section,scenario,subject,measure,trials,of,value,p95,max,unit,note"),
          lines).toList());
    } else {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(),
          java.util.Map.of("context", context, "figures", figures));
    }
  }

  private static String number(Double d) {
    if (d == null) {
      return "-";
    }
    if (Math.abs(d) >= 100 || d == Math.rint(d)) {
      return String.format(Locale.ROOT, "%.0f", d);
    }
    // small ratios keep three significant digits, not "0.00"
    return Math.abs(d) < 1 ? String.format(Locale.ROOT, "%.3g", d) : String.format(Locale.ROOT, "%.2f", d);
  }

  private static String csv(String cell) {
    return cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
  }
}
