package dev.hotfix.chart;

import dev.hotfix.json.KubernetesJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code helm lint --strict} passes on the chart as shipped and with non-default values. Lint
 * reads only the chart's own values.yaml, so the non-default case lints a copy of the chart whose
 * values.yaml is the defaults overlaid with the test's values file (as Helm itself merges them).
 */
class ChartLintTest {

  @Test
  void strictLintPassesWithTheDefaults() {
    assertPasses(new Helm(RenderedChart.CHART).lint().strict().call());
  }

  @ParameterizedTest
  @ValueSource(strings = {"values-namespaced.yaml", "values-webhook-secret.yaml"})
  void strictLintPassesWithNonDefaultValues(String valuesFile, @TempDir Path dir) throws IOException {
    Path chart = copyOfChart(dir.resolve("hotfix-operator"));
    Map<String, Object> values = overlay(yaml(chart.resolve("values.yaml")), yaml(RenderedChart.VALUES.resolve(valuesFile)));
    Files.writeString(chart.resolve("values.yaml"), Serialization.asYaml(values));
    assertPasses(new Helm(chart).lint().strict().call());
  }

  private static void assertPasses(LintResult result) {
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages()).as("no warnings or errors").noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  /** {@code over} laid on {@code base}: maps merge key by key, anything else replaces. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> overlay(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    over.forEach((key, value) -> merged.merge(key, value, (a, b) -> a instanceof Map && b instanceof Map
        ? overlay((Map<String, Object>) a, (Map<String, Object>) b) : b));
    return merged;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    return KubernetesJson.SERIALIZATION.unmarshal(Files.readString(file), Map.class);
  }

  private static Path copyOfChart(Path target) throws IOException {
    try (Stream<Path> files = Files.walk(RenderedChart.CHART)) {
      for (Path source : files.toList()) {
        Path copy = target.resolve(RenderedChart.CHART.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(source, copy);
        }
      }
    }
    return target;
  }
}
