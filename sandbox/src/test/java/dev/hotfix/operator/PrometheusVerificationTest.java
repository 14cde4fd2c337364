package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.CheckStatus;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verification against the real Prometheus scraping the sandbox's simulated app every second:
 * an {@code errors} image rolls back by the error-rate check, a {@code slow} one by a latency
 * quantile check, and a healthy one passes both and succeeds. Fails, never skips, without the
 * prometheus binary.
 */
class PrometheusVerificationTest {
  private static ScenarioBed bed;

  @BeforeAll
  static void start() {
    assertThat(PrometheusServer.findBinary()).as(PrometheusServer.NOT_FOUND).isPresent();
    SandboxOptions sandbox = SandboxOptions.defaults().withPodStartDelay(Duration.ofMillis(300));
    bed = ScenarioBed.withSandboxPrometheus(sandbox);
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void anErrorsImageRollsBackByTheErrorRateCheck() {
    String web = bed.deploymentReady(d -> { });

    Hotfix done = bed.runToEnd(SandboxChecks.verifiedByErrorRateAndLatency(
        bed.hotfix(web, "registry.example.com/web:1.1-errors", s -> { }), web));

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("check: error-rate = ")
        .contains("> 0.05 (failWhen \"> 0.05\", failure 1 of limit 0)");
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
    assertThat(bed.phases(done)).doesNotContain(Phase.Succeeded);
  }

  @Test
  void aSlowImageRollsBackByTheLatencyQuantileCheck() {
    String web = bed.deploymentReady(d -> { });

    Hotfix done = bed.runToEnd(SandboxChecks.verifiedByErrorRateAndLatency(
        bed.hotfix(web, "registry.example.com/web:1.1-slow", s -> { }), web));

    assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(done.getStatus().rollbackReason).startsWith("check: p90-latency = ")
        .contains("> 0.1 (failWhen \"> 0.1\"");
    assertThat(bed.images(web)).containsEntry("app", ScenarioBed.GOOD);
  }

  @Test
  void aHealthyImagePassesEveryCheckAndSucceeds() {
    String web = bed.deploymentReady(d -> { });

    Hotfix done = bed.runToEnd(SandboxChecks.verifiedByErrorRateAndLatency(
        bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }), web));

    assertThat(done.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().checks).extracting(c -> c.name).containsExactly("error-rate", "p90-latency");
    for (CheckStatus c : done.getStatus().checks) {
      assertThat(c.passed).as(c.name + " passed").isPositive();
      assertThat(c.failed + c.errors).as(c.name + " failed or errors").isZero();
    }
    assertThat(Double.parseDouble(done.getStatus().checks.get(0).lastValue)).isLessThan(0.05);
  }
}
