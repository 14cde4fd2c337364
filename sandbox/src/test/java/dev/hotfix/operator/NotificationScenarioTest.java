package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.NotificationTarget;
import dev.hotfix.api.v1alpha1.NotificationType;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.PrometheusEndpoint;
import dev.hotfix.api.v1alpha1.SecretKeyRef;
import dev.hotfix.api.v1alpha1.TimelineEntry;
import dev.hotfix.report.IncidentReport;
import dev.hotfix.report.ReportWriter;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import dev.hotfix.testing.NotificationReceiver;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Notifications and the incident report end to end: the operator in-process on the sandbox
 * (with the real Prometheus), the namespace's HotfixPolicy naming a generic webhook and a Slack
 * target whose URLs, in Secrets, point at a local receiver.
 */
class NotificationScenarioTest {
  private static final String HOOK = "/hooks/generic";
  private static final String SLACK = "/hooks/slack";
  private static final MeterRegistry METERS = new SimpleMeterRegistry();
  private static NotificationReceiver receiver;
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    assertThat(PrometheusServer.findBinary()).as(PrometheusServer.NOT_FOUND).isPresent();
    receiver = new NotificationReceiver();
    bed = new ScenarioBed(SandboxOptions.defaults().withPodStartDelay(Duration.ofMillis(300)),
        OperatorOptions.defaults().withMeters(METERS));
    secret("hotfix-webhook", "url", receiver.url(HOOK).toString());
    secret("hotfix-slack", "incoming-webhook", receiver.url(SLACK).toString());
    HotfixPolicy policy = new HotfixPolicy();
    policy.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    policy.getMetadata().setNamespace(ScenarioBed.NS);
    HotfixPolicySpec spec = new HotfixPolicySpec();
    spec.prometheus = new PrometheusEndpoint();
    spec.prometheus.url = bed.prometheusUrl().toString();
    spec.notifications = List.of(target(NotificationType.webhook, "hotfix-webhook", null),
        target(NotificationType.slack, "hotfix-slack", "incoming-webhook"));
    policy.setSpec(spec);
    bed.client.resource(policy).create();
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void aRollbackIsAnnouncedInOrderOnBothTargetsAndAFailedDeliveryIsRetried() {
    String web = bed.deploymentReady(d -> { });
    double webhookSent = count("webhook", "sent");
    double webhookFailed = count("webhook", "failed");
    double slackSent = count("slack", "sent");
    receiver.failNext(HOOK, 503, 1);

    Hotfix done = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-crashloop", s -> {
      s.rollout.podReadyTimeoutSeconds = 3;
      s.ticket = "INC-4711";
    }));
    String name = done.getMetadata().getName();
    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(events(delivered(HOOK, name))).containsExactly("started", "rolled_back");
      assertThat(events(delivered(SLACK, name))).containsExactly("started", "rolled_back");
    });
    List<NotificationReceiver.Request> attempts = receiver.requests(HOOK).stream()
        .filter(r -> r.body().path("hotfix").asText().equals(name)).toList();
    assertThat(attempts).extracting(NotificationReceiver.Request::status).containsExactly(503, 200, 200);
    assertThat(attempts.get(0).body()).isEqualTo(attempts.get(1).body());

    JsonNode rolledBack = delivered(HOOK, name).get(1);
    assertThat(rolledBack.path("namespace").asText()).isEqualTo(ScenarioBed.NS);
    assertThat(rolledBack.path("phase").asText()).isEqualTo("RolledBack");
    assertThat(rolledBack.path("previousPhase").asText()).isEqualTo("RollingBack");
    assertThat(rolledBack.path("severity").asText()).isEqualTo("Critical");
    assertThat(rolledBack.path("reason").asText()).isEqualTo("scenario test");
    assertThat(rolledBack.path("ticket").asText()).isEqualTo("INC-4711");
    assertThat(rolledBack.path("target").asText()).isEqualTo(web);
    assertThat(rolledBack.path("images").get(0).path("container").asText()).isEqualTo("app");
    assertThat(rolledBack.path("images").get(0).path("before").asText()).isEqualTo(ScenarioBed.GOOD);
    assertThat(rolledBack.path("images").get(0).path("after").asText())
        .isEqualTo("registry.example.com/web:1.1-crashloop");
    assertThat(rolledBack.path("message").asText()).isEqualTo(done.getStatus().message);
    assertThat(rolledBack.path("rollbackReason").asText()).isEqualTo(done.getStatus().rollbackReason);
    assertThat(rolledBack.path("reportConfigMap").asText()).isEqualTo(name + "-report");
    assertThat(Instant.parse(rolledBack.path("time").asText())).isEqualTo(Instant.parse(done.getStatus().finishedAt));
    JsonNode started = delivered(HOOK, name).get(0);
    assertThat(started.path("phase").asText()).isEqualTo("RollingOut");
    assertThat(started.has("reportConfigMap")).isFalse();

    JsonNode slack = delivered(SLACK, name).get(1);
    assertThat(slack.path("text").asText()).startsWith("Hotfix default/" + name + " rolled back (Critical, INC-4711): ");
    assertThat(slack.path("blocks").toString()).contains("*Rollback reason:* pod_fault: pod " + web);

    // counted on the notifier's thread once the receiver has answered: a moment after delivery
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(count("webhook", "sent") - webhookSent).isEqualTo(2);
      assertThat(count("webhook", "failed") - webhookFailed).isEqualTo(1);
      assertThat(count("slack", "sent") - slackSent).isEqualTo(2);
    });
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(warnings(name)).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).matches("webhook \\(127\\.0\\.0\\.1:\\d+\\) notification started "
            + "failed \\(attempt 1 of 4\\): HTTP 503 from webhook endpoint; "
            + "retrying in (2[5-9]\\d|[34]\\d\\d|500) ms"))); // the first step, 500 ms, with equal jitter
  }

  /**
   * The report holds the real values of the run. That it outlives its Hotfix is
   * GovernanceAttacksScenarioTest's (deleting a finished Critical Hotfix).
   */
  @Test
  void theReportOfARolledBackHotfixHoldsItsRealValues() {
    String web = bed.deploymentReady(d -> { });
    Hotfix h = bed.hotfix(web, "registry.example.com/web:1.1-errors", s -> {
      s.verification.checks = List.of(SandboxChecks.errorRate(web));
      s.verification.bakeSeconds = 30;
    });

    Hotfix done = bed.runToEnd(h);
    String name = done.getMetadata().getName();
    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().report).isEqualTo(name + "-report");

    ConfigMap cm = await().atMost(Duration.ofSeconds(5)).until(() -> bed.client.configMaps()
        .inNamespace(ScenarioBed.NS).withName(name + "-report").get(), c -> c != null);
    assertThat(cm.getMetadata().getLabels()).containsEntry(IncidentReport.HOTFIX_LABEL, name);
    assertThat(cm.getMetadata().getAnnotations()).containsEntry(ReportWriter.HOTFIX_UID_ANNOTATION,
        done.getMetadata().getUid());
    String md = cm.getData().get(IncidentReport.KEY);
    assertThat(md).contains("# Incident report: Hotfix " + name, "**Outcome: RolledBack**",
        "| Requested by | unknown |", "no approvals recorded", "| Severity | Critical |",
        "| app | `" + ScenarioBed.GOOD + "` | `registry.example.com/web:1.1-errors` |",
        "Rollback reason: " + done.getStatus().rollbackReason,
        "| Time to detect (rollout started → rollback decided) | ",
        "## Lessons learned", "**Root cause:**", "**Why wasn't it caught before release?**",
        "**Permanent fix for the next release:**", "**Follow-up owner and ticket:**");
    CheckStatus errorRate = done.getStatus().checks.get(0);
    assertThat(md).contains("| error-rate | `> 0.05` | `" + errorRate.lastValue + "` | " + errorRate.passed + " | "
        + errorRate.failed + " | " + errorRate.noData + " | " + errorRate.errors + " | " + errorRate.lastMeasuredAt);
    for (TimelineEntry e : done.getStatus().timeline) {
      assertThat(md).contains("| " + e.time + " | ").contains(" | " + e.phase + " | ");
    }
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(events(delivered(HOOK, name))).containsExactly("started", "rolled_back"));
  }

  private static List<JsonNode> delivered(String path, String hotfix) {
    return receiver.delivered(path).stream().filter(b -> hotfix.equals(b.path("hotfix").asText(null))
        || b.path("text").asText().contains("/" + hotfix + " ")).toList();
  }

  /** The announcement of each body: the generic {@code event} field, or the Slack text's words. */
  private static List<String> events(List<JsonNode> bodies) {
    return bodies.stream().map(b -> b.has("event") ? b.path("event").asText()
        : b.path("text").asText().replaceFirst("^Hotfix \\S+ (.+?) \\(.*$", "$1").replace(' ', '_')).toList();
  }

  private static List<Event> warnings(String hotfix) {
    return bed.client.v1().events().inNamespace(ScenarioBed.NS).list().getItems().stream()
        .filter(e -> hotfix.equals(e.getInvolvedObject().getName()) && "NotificationFailed".equals(e.getReason()))
        .toList();
  }

  private static double count(String type, String result) {
    return Optional.ofNullable(METERS.find("hotfix.notifications").tags("type", type, "result", result).counter())
        .map(Counter::count).orElse(0.0);
  }

  private static void secret(String name, String key, String value) {
    bed.client.secrets().inNamespace(ScenarioBed.NS).resource(new SecretBuilder().withNewMetadata().withName(name)
        .endMetadata().addToStringData(key, value).build()).create();
  }

  private static NotificationTarget target(NotificationType type, String secret, String key) {
    NotificationTarget t = new NotificationTarget();
    t.type = type;
    t.urlSecretRef = new SecretKeyRef();
    t.urlSecretRef.name = secret;
    t.urlSecretRef.key = key;
    return t;
  }
}
