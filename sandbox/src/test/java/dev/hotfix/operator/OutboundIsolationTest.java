package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.PrometheusCheck;
import dev.hotfix.api.v1alpha1.PrometheusEndpoint;
import dev.hotfix.api.v1alpha1.SecretRef;
import dev.hotfix.health.prometheus.StubPrometheus.Answer;
import dev.hotfix.health.prometheus.StubPrometheus;
import dev.hotfix.outbound.EndpointAllowList;
import dev.hotfix.outbound.MisbehavingServer;
import dev.hotfix.outbound.MisbehavingServer.Behaviour;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.testing.HotfixFixtures;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's attacks end to end: a slowloris endpoint and a huge-body endpoint, each used by
 * several Hotfixes in its own namespace, while a Verifying Hotfix in another namespace fails its
 * check against a responsive Prometheus. The operator runs with 4 reconcile threads, fewer than
 * the slow Hotfixes, so if a query ran on a reconcile thread the slow namespaces would take all of
 * them. The other namespace's rollback completes while the slowloris still holds connections open,
 * and the huge bodies (600 MiB each) never reach the heap. Seen failing with queries run on the
 * reconcile thread (MeasurementWorkers.inline in HotfixReconciler): the good namespace's Hotfix
 * did not finish within the wait.
 */
class OutboundIsolationTest {
  private static final String ERROR_RATE = "sum(rate(http_requests_total{code=~\"5..\"}[1m])) / "
      + "sum(rate(http_requests_total[1m]))";
  private static final int SLOW_HOTFIXES = 6;

  @Test
  void aSlowAndAHugeEndpointInOneNamespaceLeaveAnotherNamespacesRollbackOnTime() {
    try (MisbehavingServer slowloris = MisbehavingServer.start(Behaviour.SLOWLORIS);
        MisbehavingServer huge = MisbehavingServer.start(Behaviour.HUGE_BODY);
        StubPrometheus prometheus = StubPrometheus.start();
        ScenarioBed bed = ScenarioBed.withoutOperator(SandboxOptions.defaults().withPrometheus(false)
            .withPodStartDelay(Duration.ofMillis(200)))) {
      prometheus.answer(ERROR_RATE, Answer.vector("0.52"));
      policy(bed, "slow", slowloris.url(), 60, null);
      policy(bed, "huge", huge.url(), 60, null);
      policy(bed, ScenarioBed.NS, prometheus.url(), 5, null);
      try (HotfixOperator operator = HotfixOperator.start(bed.client, ScenarioBed.trustedWithoutWebhook(
          OperatorOptions.defaults().withNamespaces(Set.of("slow", "huge", ScenarioBed.NS))
              .withAllowedEndpoints(EndpointAllowList.LOOPBACK)),
          PhaseListener.NONE, ReconcileTuning.defaults().withReconcileThreads(4))) {
        for (String ns : List.of("slow", "huge")) {
          for (int i = 0; i < SLOW_HOTFIXES; i++) {
            bed.client.resource(HotfixFixtures.deployment(ns, "web-" + i, 1, ScenarioBed.GOOD)).create();
            bed.client.resource(withCheck(HotfixFixtures.critical(ns, "fix-" + i, "web-" + i,
                "registry.example.com/web:1.1-hotfix.1", s -> s.verification.bakeSeconds = 600))).create();
          }
        }
        // the slow endpoint's workers are stuck in its dribble
        await().atMost(Duration.ofSeconds(60)).until(() -> slowloris.hanging() >= 2);

        String web = bed.deploymentReady(d -> { });
        Hotfix done = bed.runToEnd(withCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1",
            s -> s.verification.bakeSeconds = 30)));

        assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
        assertThat(done.getStatus().rollbackReason).startsWith("check: error-rate = 0.52 > 0.05");
        // ordering, not wall-clock: the slow namespace's requests were still hanging when it was over
        assertThat(slowloris.hanging()).isPositive();
        assertThat(operator.isReady()).isTrue();
        // the huge answers were abandoned at the cap: far from their 600 MiB each, and no OutOfMemoryError
        assertThat(huge.heads()).isNotEmpty();
        assertThat(huge.bodyBytesSent()).isLessThan(huge.heads().size() * (MisbehavingServer.HUGE / 4));
        Hotfix slow = bed.client.resources(Hotfix.class).inNamespace("slow").withName("fix-0").get();
        assertThat(slow.getStatus().message).doesNotContain("{{{");
      }
    }
  }

  @Test
  void aTokenWithALineBreakRejectsTheHotfixNamingTheSecretAndKeyOnly() {
    try (StubPrometheus prometheus = StubPrometheus.start();
        ScenarioBed bed = new ScenarioBed(SandboxOptions.defaults().withPrometheus(false)
            .withPodStartDelay(Duration.ofMillis(200)), OperatorOptions.defaults())) {
      bed.client.resource(new SecretBuilder().withNewMetadata().withName("prom-auth").withNamespace(ScenarioBed.NS)
          .endMetadata().addToStringData("token", "s3cret\r\nX-Injected: yes").build()).create();
      policy(bed, ScenarioBed.NS, prometheus.url(), 5, "prom-auth");
      String web = bed.deploymentReady(d -> { });

      Hotfix done = bed.runToEnd(withCheck(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { })));

      assertThat(done.getStatus().phase).isEqualTo(Phase.Rejected);
      assertThat(done.getStatus().message).contains("Secret prom-auth key token holds a line break")
          .doesNotContain("s3cret", "X-Injected");
      assertThat(prometheus.authorizations()).isEmpty();
      assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
    }
  }

  private static Hotfix withCheck(Hotfix h) {
    CheckSpec c = new CheckSpec();
    c.name = "error-rate";
    c.prometheus = new PrometheusCheck();
    c.prometheus.query = ERROR_RATE;
    c.failWhen = "> 0.05";
    h.getSpec().verification.checks = List.of(c);
    return h;
  }

  private static void policy(ScenarioBed bed, String namespace, URI url, int timeoutSeconds, String authSecret) {
    HotfixPolicy p = new HotfixPolicy();
    p.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    p.getMetadata().setNamespace(namespace);
    p.setSpec(new HotfixPolicySpec());
    p.getSpec().prometheus = new PrometheusEndpoint();
    p.getSpec().prometheus.url = url.toString();
    p.getSpec().prometheus.timeoutSeconds = timeoutSeconds;
    if (authSecret != null) {
      p.getSpec().prometheus.authSecretRef = new SecretRef();
      p.getSpec().prometheus.authSecretRef.name = authSecret;
    }
    bed.client.resource(p).create();
  }
}
