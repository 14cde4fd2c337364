package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.NotificationTarget;
import dev.hotfix.api.v1alpha1.NotificationType;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.SecretKeyRef;
import dev.hotfix.chart.RenderedChart;
import dev.hotfix.json.KubernetesJson;
import dev.hotfix.metrics.MetricsEndpoint;
import dev.hotfix.metrics.PrometheusRegistries;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import dev.hotfix.testing.NotificationReceiver;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every query of the chart's Grafana dashboard, as rendered into its ConfigMap, against a real
 * Prometheus that scraped the operator's {@code /metrics} through a demo-like run: a Hotfix that
 * passes its metric checks and succeeds, one that fails them and is rolled back, notifications to
 * a webhook whose first delivery fails. Each query must parse and return at least one series,
 * except those in {@link #NO_DATA_IN_A_SHORT_RUN}, which must still parse.
 */
class DashboardQueriesScenarioTest {
  private static final String HOOK = "/hooks/dashboard";
  /**
   * Queries whose series exist only after something this run does not do, with why. java-operator-sdk
   * creates its failed-reconcile counter at the first failed reconcile, and a healthy run has none.
   */
  private static final Map<String, String> NO_DATA_IN_A_SHORT_RUN = Map.of(
      "sum by (exception) (rate(operator_sdk_reconciliations_failed_total{job=\"$job\"}[$__rate_interval]))",
      "created by java-operator-sdk at the first failed reconcile; none in a healthy run");
  /** Grafana's built-in interval: what it is with Prometheus's default 15 s scrape interval (4 x 15 s). */
  private static final String RATE_INTERVAL = "1m";
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)");

  private final HttpClient http = HttpClient.newHttpClient();
  private ScenarioBed bed;
  private ScenarioBed.Running operator;
  private MetricsEndpoint endpoint;
  private PrometheusServer prometheus;
  private NotificationReceiver receiver;

  @AfterEach
  void stop() {
    ScenarioBed.closeAll(prometheus, operator, endpoint, bed, receiver);
  }

  @Test
  void everyPanelQueryReturnsSeriesAfterASuccessAndARollback() throws Exception {
    JsonNode dashboard = dashboardAsShipped();
    assertThat(PrometheusServer.findBinary()).as(PrometheusServer.NOT_FOUND).isPresent();
    receiver = new NotificationReceiver();
    bed = ScenarioBed.withoutOperator(SandboxOptions.defaults().withPodStartDelay(Duration.ofMillis(300)));
    PrometheusMeterRegistry meters = PrometheusRegistries.withJvmMetrics();
    operator = bed.startOperator(OperatorOptions.defaults().withMeters(meters)
        .withPrometheusUrl(Optional.of(bed.prometheusUrl())), ReconcileTuning.defaults());
    InetAddress loopback = InetAddress.getLoopbackAddress();
    endpoint = MetricsEndpoint.start(new InetSocketAddress(loopback, 0), new InetSocketAddress(loopback, 0), meters,
        () -> true);
    prometheus = PrometheusServer.start(List.of(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")),
        Duration.ofMillis(500));
    notifyWebhook();
    receiver.failNext(HOOK, 503, 1);

    String web = bed.deploymentReady(d -> { });
    Hotfix good = bed.runToEnd(SandboxChecks.verifiedByErrorRateAndLatency(
        bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }), web));
    Hotfix bad = bed.runToEnd(SandboxChecks.verifiedByErrorRateAndLatency(
        bed.hotfix(web, "registry.example.com/web:1.1-errors", s -> { }), web));
    assertThat(good.getStatus().phase).as(good.getStatus().message).isEqualTo(Phase.Succeeded);
    assertThat(bad.getStatus().phase).as(bad.getStatus().message).isEqualTo(Phase.RolledBack);
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.delivered(HOOK).size() >= 4);

    String job = variable(dashboard, "job");
    List<String> queries = queries(dashboard);
    assertThat(queries).as("a query per panel at least").hasSizeGreaterThanOrEqualTo(12);
    // the scrapes after the run carry its last counts: wait until every query has its series
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Map<String, String> problems = new LinkedHashMap<>();
      for (String query : queries) {
        Answer answer = query(query.replace("$job", job).replace("$__rate_interval", RATE_INTERVAL));
        if (answer.error() != null) {
          problems.put(query, answer.error());
        } else if (answer.series() == 0 && !NO_DATA_IN_A_SHORT_RUN.containsKey(query)) {
          problems.put(query, "no series");
        }
      }
      assertThat(problems).as("queries that fail or return nothing; the operator exported: %s", metricNames())
          .isEmpty();
    });
    assertThat(queries).as("every exception is a query of the dashboard")
        .containsAll(NO_DATA_IN_A_SHORT_RUN.keySet());
  }

  /** The dashboard JSON as the chart ships it (its ConfigMap, rendered with dashboards.enabled). */
  private static JsonNode dashboardAsShipped() throws Exception {
    ConfigMap cm = RenderedChart.render(List.of(), Map.of("dashboards.enabled", true)).all(ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().endsWith("-dashboard")).findFirst().orElseThrow();
    return KubernetesJson.MAPPER.readTree(cm.getData().get("hotfix-operator.json"));
  }

  /** Every target's PromQL of every panel, rows' nested panels included. */
  private static List<String> queries(JsonNode dashboard) {
    List<String> exprs = new ArrayList<>();
    List<JsonNode> panels = new ArrayList<>();
    dashboard.path("panels").forEach(p -> {
      panels.add(p);
      p.path("panels").forEach(panels::add);
    });
    for (JsonNode panel : panels) {
      if (!"row".equals(panel.path("type").asText())) {
        assertThat(panel.path("targets").size()).as("panel %s has a query", panel.path("title").asText())
            .isPositive();
      }
      panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
    }
    return exprs;
  }

  /** The first value of a {@code label_values(metric, label)} template variable, as Grafana would offer it. */
  private String variable(JsonNode dashboard, String name) throws Exception {
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (name.equals(v.path("name").asText())) {
        Matcher m = LABEL_VALUES.matcher(v.path("query").path("query").asText());
        assertThat(m.matches()).as("variable %s is label_values(metric, label)", name).isTrue();
        JsonNode values = get("/api/v1/label/" + m.group(2) + "/values?match[]=" + encode(m.group(1)));
        assertThat(values.path("data").size()).as("values of variable %s", name).isPositive();
        return values.path("data").get(0).asText();
      }
    }
    throw new AssertionError("no variable " + name);
  }

  private record Answer(String error, int series) {}

  private Answer query(String promql) throws Exception {
    JsonNode body = get("/api/v1/query?query=" + encode(promql));
    if (!"success".equals(body.path("status").asText())) {
      return new Answer(body.path("errorType").asText() + ": " + body.path("error").asText(), 0);
    }
    return new Answer(null, body.path("data").path("result").size());
  }

  private List<String> metricNames() throws Exception {
    List<String> names = new ArrayList<>();
    get("/api/v1/label/__name__/values").path("data").forEach(n -> names.add(n.asText()));
    return names;
  }

  private JsonNode get(String pathAndQuery) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(prometheus.url() + pathAndQuery))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return KubernetesJson.MAPPER.readTree(response.body());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The namespace's policy sends every announcement to the test's receiver. */
  private void notifyWebhook() {
    bed.client.secrets().inNamespace(ScenarioBed.NS).resource(new SecretBuilder().withNewMetadata()
        .withName("hotfix-webhook").endMetadata().addToStringData("url", receiver.url(HOOK).toString()).build())
        .create();
    HotfixPolicy policy = new HotfixPolicy();
    policy.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    policy.getMetadata().setNamespace(ScenarioBed.NS);
    policy.setSpec(new HotfixPolicySpec());
    NotificationTarget target = new NotificationTarget();
    target.type = NotificationType.webhook;
    target.urlSecretRef = new SecretKeyRef();
    target.urlSecretRef.name = "hotfix-webhook";
    policy.getSpec().notifications = List.of(target);
    bed.client.resource(policy).create();
  }
}
