package dev.hotfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator never reaches into the sandbox or the benchmark: they are test equipment that
 * happens to ship in the same jar, and only the commands that start them may name them. Read
 * from the sources (imports and fully qualified names), so a stray edge fails here before it
 * makes the operator's behaviour depend on the simulated cluster.
 */
class PackageBoundariesTest {

  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern EQUIPMENT = Pattern.compile("\\bdev\\.hotfix\\.(sandbox|bench)\\.[A-Za-z_.]+");

  /** The only operator-side files that may name the sandbox or the benchmark: the commands starting them. */
  private static final Set<String> ENTRY_POINTS = Set.of(
      "dev/hotfix/cli/Main.java", "dev/hotfix/cli/SandboxCommand.java", "dev/hotfix/cli/DemoCommand.java");

  @Test
  void operatorCodeNamesNeitherTheSandboxNorTheBenchmark() {
    assertThat(strayEdges(MAIN)).as("operator code referring to the sandbox or the benchmark").isEmpty();
  }

  @Test
  void aStrayImportIsFound(@TempDir Path root) throws IOException {
    Path file = root.resolve("dev/hotfix/operator/Stray.java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "package dev.hotfix.operator;\n\nimport dev.hotfix.sandbox.SampleWorkloads;\n\n"
        + "class Stray {\n  Object bench = dev.hotfix.bench.KubectlScript.class;\n}\n");
    Path allowed = root.resolve("dev/hotfix/sandbox/Inside.java");
    Files.createDirectories(allowed.getParent());
    Files.writeString(allowed, "package dev.hotfix.sandbox;\n\nimport dev.hotfix.bench.Report;\n");

    assertThat(strayEdges(root)).containsExactly(
        "dev/hotfix/operator/Stray.java:3 dev.hotfix.sandbox.SampleWorkloads",
        "dev/hotfix/operator/Stray.java:6 dev.hotfix.bench.KubectlScript.class");
  }

  /** Every reference to sandbox or bench code from a file outside them and the entry points, as "file:line name". */
  private static List<String> strayEdges(Path root) {
    List<String> edges = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        if (relative.startsWith("dev/hotfix/sandbox/") || relative.startsWith("dev/hotfix/bench/")
            || ENTRY_POINTS.contains(relative)) {
          continue;
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = EQUIPMENT.matcher(lines.get(i));
          while (m.find()) {
            edges.add(relative + ":" + (i + 1) + " " + m.group());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return edges;
  }
}
