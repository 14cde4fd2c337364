package dev.hotfix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixPolicy;
import dev.hotfix.api.v1alpha1.HotfixPolicySpec;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.PrometheusCheck;
import dev.hotfix.api.v1alpha1.PrometheusEndpoint;
import dev.hotfix.operator.OperatorOptions;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, item 4: the real Prometheus fails during verification. Killed, it is unreachable
 * (errors, {@code errorLimit} decides); stopped (SIGSTOP), it answers nothing within the 1 s
 * timeout (errors); restarted in place with empty storage, it answers with no data
 * ({@code noDataLimit} decides). Each ends in a rollback naming the cause, never in a promotion.
 */
class PrometheusFaultTest {
  private static final String FIXED = "registry.example.com/web:1.1-hotfix.1";
  private static ReliabilityBed bed;
  private PrometheusServer prometheus;
  private boolean hung;

  @BeforeAll
  static void start() {
    if (PrometheusServer.findBinary().isEmpty()) {
      throw new IllegalStateException("this test needs Prometheus: " + PrometheusServer.NOT_FOUND);
    }
    bed = new ReliabilityBed(SandboxOptions.defaults().withPrometheus(false).withPodStartDelay(Duration.ofMillis(300)));
    bed.startOperator(OperatorOptions.defaults(), ReliabilityBed.QUICK_RETRIES);
  }

  @AfterEach
  void stopPrometheus() {
    if (prometheus != null) {
      if (hung) {
        signal("CONT", prometheus.pid());
      }
      prometheus.close();
    }
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void killedPrometheusCountsErrorsUntilTheErrorLimitRollsBack() {
    Hotfix done = verifyThen(2, p -> p.close());

    CheckStatus check = done.getStatus().checks.get(0);
    assertThat(done.getStatus().rollbackReason).startsWith("check: traffic failed to measure 3 times in a row "
        + "(errorLimit 2");
    assertThat(check.consecutiveErrors).isEqualTo(3);
    assertThat(check.noData).isZero();
  }

  @Test
  void hungPrometheusTimesOutAndTimeoutsCountAsErrors() {
    Hotfix done = verifyThen(2, p -> {
      hung = true;
      signal("STOP", p.pid());
    });

    CheckStatus check = done.getStatus().checks.get(0);
    assertThat(done.getStatus().rollbackReason).startsWith("check: traffic failed to measure 3 times in a row")
        .contains("no complete answer within 1 s");
    assertThat(check.consecutiveErrors).isEqualTo(3);
  }

  @Test
  void prometheusRestartedWithEmptyDataCountsNoDataUntilTheLimitRollsBack() {
    // errors while it restarts are tolerated: this scenario is about what it answers once back
    Hotfix done = verifyThen(20, p -> {
      int port = p.url().getPort();
      p.close();
      // back on the same address, storage lost and no scrape target (yet): every answer is empty
      prometheus = PrometheusServer.startOn(port, List.of(), Duration.ofSeconds(1));
    });

    CheckStatus check = done.getStatus().checks.get(0);
    assertThat(done.getStatus().rollbackReason).startsWith("check: traffic had no data 3 times (noDataLimit 2");
    assertThat(check.noData).isEqualTo(3);
    assertThat(check.passed).isPositive();
  }

  /**
   * Rolls a good image out with one check that passes while Prometheus has data; once it passed
   * in Verifying, applies {@code fault} to Prometheus and waits for the end.
   */
  private Hotfix verifyThen(int errorLimit, Consumer<PrometheusServer> fault) {
    String web = bed.deploymentReady(ReliabilityBed.REPLICAS, d -> { });
    prometheus = PrometheusServer.start(List.of(bed.sandbox.appMetricsUrl()), Duration.ofSeconds(1));
    usePrometheus(prometheus);
    await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.query(trafficOf(web)).isPresent());
    String name = bed.create(bed.hotfix(web, FIXED, s -> {
      s.verification.bakeSeconds = 120;
      CheckSpec traffic = new CheckSpec();
      traffic.name = "traffic";
      traffic.prometheus = new PrometheusCheck();
      traffic.prometheus.query = trafficOf(web);
      traffic.failWhen = "< 0";
      traffic.errorLimit = errorLimit;
      traffic.noDataLimit = 2;
      s.verification.checks = List.of(traffic);
    }));
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Hotfix h = bed.get(name);
      return h.getStatus() != null && h.getStatus().phase == Phase.Verifying && h.getStatus().checks.get(0).passed > 0;
    });

    fault.accept(prometheus);

    Hotfix done = bed.awaitTerminal(name);
    assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(Phase.RolledBack);
    assertThat(bed.image(web)).isEqualTo(ReliabilityBed.GOOD);
    assertThat(bed.rollouts(web)).containsExactly(ReliabilityBed.GOOD, FIXED, ReliabilityBed.GOOD);
    bed.assertWrites(web, 1, 1, 1);
    bed.assertAvailabilityNeverDropped(web);
    return done;
  }

  private static String trafficOf(String web) {
    return "sum(http_requests_total{namespace=\"default\",deployment=\"" + web + "\"})";
  }

  /** The namespace's policy points at {@code server} with a 1 s timeout. */
  private static void usePrometheus(PrometheusServer server) {
    HotfixPolicy policy = new HotfixPolicy();
    policy.getMetadata().setName(HotfixPolicy.DEFAULT_NAME);
    policy.getMetadata().setNamespace(ReliabilityBed.NS);
    policy.setSpec(new HotfixPolicySpec());
    policy.getSpec().prometheus = new PrometheusEndpoint();
    policy.getSpec().prometheus.url = server.url().toString();
    policy.getSpec().prometheus.timeoutSeconds = 1;
    bed.client.resource(policy).createOr(existing -> existing.update());
  }

  /** Sends {@code kill -SIGNAL} to the Prometheus this test started (by its own pid). */
  private static void signal(String name, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
      assertThat(kill.waitFor()).isZero();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
