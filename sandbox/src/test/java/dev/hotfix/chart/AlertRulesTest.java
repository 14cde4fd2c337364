package dev.hotfix.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's PrometheusRule is valid Prometheus (promtool check rules), each alert fires on the
 * series it is about and not on healthy look-alikes (promtool test rules with
 * operator/src/test/resources/chart/alerts-test.yaml), and each links a section of docs/runbook.md.
 */
class AlertRulesTest {
  private static final List<String> ALERTS = List.of("HotfixRolledBack", "HotfixRollbackFailed", "HotfixStuck",
      "HotfixAwaitingApprovalTooLong", "HotfixRecurring", "HotfixOperatorDown", "HotfixOperatorNotReconciling",
      "HotfixOperatorReconcileStuck");

  @TempDir
  static Path dir;
  static List<Map<String, Object>> groups;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void renderRules() throws IOException {
    RenderedChart chart = RenderedChart.render(List.of(),
        Map.of("monitoringApi.force", true, "prometheusRule.enabled", true));
    List<GenericKubernetesResource> rules = chart.generic("PrometheusRule");
    assertThat(rules).hasSize(1);
    groups = (List<Map<String, Object>>) ((Map<String, Object>) rules.get(0).getAdditionalProperties().get("spec"))
        .get("groups");
    Files.writeString(dir.resolve("rules.yaml"), Serialization.asYaml(Map.of("groups", groups)));
    Files.copy(RenderedChart.VALUES.resolve("alerts-test.yaml"), dir.resolve("alerts-test.yaml"));
  }

  @Test
  void rulesPassPromtoolCheck() throws Exception {
    Promtool.Result result = new Promtool().run(dir, "check", "rules", "rules.yaml");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + ALERTS.size() + " rules found");
  }

  @Test
  void eachAlertFiresOnItsSeriesAndNotOtherwise() throws Exception {
    Promtool.Result result = new Promtool().run(dir, "test", "rules", "alerts-test.yaml");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
    String tests = Files.readString(dir.resolve("alerts-test.yaml"));
    ALERTS.forEach(alert -> assertThat(tests).as("a unit test of %s", alert).contains("alertname: " + alert));
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachAlertLinksItsRunbookSection() throws IOException {
    List<Map<String, Object>> rules = groups.stream()
        .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
    assertThat(rules).extracting(r -> r.get("alert")).containsExactlyInAnyOrderElementsOf(ALERTS);
    String runbook = Files.readString(Path.of("docs/runbook.md"));
    for (Map<String, Object> rule : rules) {
      String alert = (String) rule.get("alert");
      Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
      assertThat((String) annotations.get("runbook_url")).as("runbook_url of %s", alert)
          .endsWith("docs/runbook.md#" + alert.toLowerCase(Locale.ROOT));
      assertThat(runbook).as("docs/runbook.md has a section for %s", alert).contains("\n## " + alert + "\n");
      assertThat(((Map<String, Object>) rule.get("labels")).get("severity")).as("severity of %s", alert)
          .isIn("warning", "critical");
    }
  }
}
