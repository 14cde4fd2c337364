package dev.hotfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator never reaches into the sandbox or the benchmark: they are test equipment in their
 * own module, which the api and operator modules do not depend on, so a stray import does not
 * compile. This test states the rule over the sources as well (imports, fully qualified names and
 * class names in strings, which the compiler does not see), and over the module poms: neither the
 * api nor the operator module may depend on the sandbox module. Inside the operator, health
 * judgement (every check kind's package under {@code health/}) never reaches back into the loop
 * ({@code dev.hotfix.operator}): the loop reads health, not the other way round.
 */
class PackageBoundariesTest {

  /** The sources of the modules the container image is built from. */
  private static final List<Path> OPERATOR_SOURCES = List.of(Path.of("api/src/main/java"),
      Path.of("operator/src/main/java"));
  private static final Pattern EQUIPMENT = Pattern.compile("\\bdev\\.hotfix\\.(sandbox|bench)\\.[A-Za-z_.]+");
  private static final Pattern LOOP = Pattern.compile("\\bdev\\.hotfix\\.operator\\.[A-Za-z_.]+");
  private static final Path HEALTH = Path.of("operator/src/main/java/dev/hotfix/health");

  /** The only operator-side file that may name the sandbox's commands: Main, by name, adding them when present. */
  private static final Set<String> ENTRY_POINTS = Set.of("dev/hotfix/cli/Main.java");

  @Test
  void operatorCodeNamesNeitherTheSandboxNorTheBenchmark() {
    for (Path sources : OPERATOR_SOURCES) {
      assertThat(sources).isDirectory();
      assertThat(strayEdges(sources)).as("%s referring to the sandbox or the benchmark", sources).isEmpty();
    }
  }

  @Test
  void healthChecksNameNothingOfTheLoop() {
    assertThat(HEALTH).isDirectory();
    assertThat(edges(HEALTH, LOOP, f -> false)).as("health code referring to dev.hotfix.operator").isEmpty();
  }

  @Test
  void neitherTheApiNorTheOperatorModuleDependsOnTheSandbox() throws IOException {
    for (String module : List.of("api", "operator")) {
      assertThat(Files.readString(Path.of(module, "pom.xml"))).as("%s/pom.xml", module)
          .doesNotContain("<artifactId>hotfix-sandbox</artifactId>");
    }
    assertThat(Files.readString(Path.of("api", "pom.xml"))).doesNotContain("<artifactId>hotfix-operator</artifactId>");
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

  @Test
  void aHealthCheckReachingIntoTheLoopIsFound(@TempDir Path root) throws IOException {
    Path file = root.resolve("job/Stray.java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "package dev.hotfix.health.job;\n\nimport dev.hotfix.operator.Observation;\n");

    assertThat(edges(root, LOOP, f -> false)).containsExactly("job/Stray.java:3 dev.hotfix.operator.Observation");
  }

  /** Every reference to sandbox or bench code from a file outside them and the entry points, as "file:line name". */
  private static List<String> strayEdges(Path root) {
    return edges(root, EQUIPMENT, relative -> relative.startsWith("dev/hotfix/sandbox/")
        || relative.startsWith("dev/hotfix/bench/") || ENTRY_POINTS.contains(relative));
  }

  /** Every match of {@code names} in the sources under {@code root} but the files {@code exempt}, as "file:line name". */
  private static List<String> edges(Path root, Pattern names, Predicate<String> exempt) {
    List<String> edges = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        if (exempt.test(relative)) {
          continue;
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = names.matcher(lines.get(i));
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
