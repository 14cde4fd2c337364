package dev.hotfix.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotfix.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the benchmark summarizes trials, prints its table and writes its files; how it refuses bad options. */
class BenchFiguresTest {
  @TempDir Path dir;

  @Test
  void summaryTakesTheMedianTheNearestRankP95AndTheMax() {
    List<Double> hundred = IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();
    assertThat(Summary.of(hundred)).contains(new Summary(100, 50.5, 95, 100));
    assertThat(Summary.of(List.of(3.0, 1.0, 2.0))).contains(new Summary(3, 2, 3, 3));
    assertThat(Summary.of(List.of())).isEmpty();
  }

  @Test
  void reportPrintsAlignedRowsAndWritesJsonAndCsv() throws Exception {
    Report report = new Report();
    report.describe("machine: test");
    report.add(Figure.latency("detection", "pod fault", Figure.OPERATOR, "fault -> rollback patch",
        Summary.of(List.of(100.0, 200.0, 300.0)), 3, ""));
    report.add(Figure.latency("detection", "metric fault", Figure.BASELINE, "fault -> rollback patch",
        Optional.empty(), 3, "3 not rolled back (rollout status passed, quoted, \"too\")"));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));

    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(0)).isEqualTo("machine: test");
    assertThat(lines.get(2)).contains("pod fault", "hotfix-operator", "3/3", "200", "300", "ms");
    assertThat(lines.get(3)).contains("0/3", " - ", "not rolled back");
    assertThat(lines.get(2).indexOf("ms")).isEqualTo(lines.get(3).indexOf("ms"));

    Path json = dir.resolve("bench.json");
    report.write(json);
    JsonNode figures = new ObjectMapper().readTree(json.toFile()).get("figures");
    assertThat(figures).hasSize(2);
    assertThat(figures.get(0).get("value").asDouble()).isEqualTo(200);
    assertThat(figures.get(0).get("p95").asDouble()).isEqualTo(300);
    assertThat(figures.get(1).get("value").isNull()).isTrue();

    Path csv = dir.resolve("bench.csv");
    report.write(csv);
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows.get(0)).isEqualTo("section,scenario,subject,measure,trials,of,value,p95,max,unit,note");
    assertThat(rows.get(1)).isEqualTo("detection,pod fault,hotfix-operator,fault -> rollback patch,3,3,200,300,300,ms,");
    assertThat(rows.get(2)).endsWith(",ms,\"3 not rolled back (rollout status passed, quoted, \"\"too\"\")\"");
  }

  @Test
  void badOptionsAreRefusedWithWhatToFixBeforeAnythingStarts() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.commandLine().execute("bench", "footprint", "--out", dir.resolve("x.txt").toString())).isEqualTo(2);
      assertThat(Main.commandLine().execute("bench", "throughput", "--sizes", "1000,100")).isEqualTo(2);
    } finally {
      System.setErr(saved);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--out must name a .json or .csv file")
        .contains("--sizes must be positive and ascending");
  }
}
