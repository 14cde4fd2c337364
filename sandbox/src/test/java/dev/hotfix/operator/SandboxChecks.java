package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.PrometheusCheck;
import java.util.List;

/**
 * The metric checks of docs/verification.md written for a Deployment of the sandbox's
 * simulated app, whose series carry {@code namespace} and {@code deployment} labels.
 */
final class SandboxChecks {
  /** Short, so a new pod's requests weigh in quickly; two 1 s scrapes are enough for rate(). */
  private static final String WINDOW = "[10s]";

  private SandboxChecks() {
  }

  /** {@code h} verified by the error-rate and p90 latency checks on Deployment {@code web}, measured every second. */
  static Hotfix verifiedByErrorRateAndLatency(Hotfix h, String web) {
    h.getSpec().verification.bakeSeconds = 6;
    h.getSpec().verification.intervalSeconds = 1;
    h.getSpec().rollout.progressDeadlineSeconds = 60;
    h.getSpec().verification.checks = List.of(errorRate(web), p90Latency(web));
    return h;
  }

  /** The share of 5xx answers; fails above 5 %. */
  static CheckSpec errorRate(String deployment) {
    String s = selector(deployment);
    return check("error-rate", "sum(rate(http_requests_total{" + s + ",code=~\"5..\"}" + WINDOW + ")) / "
        + "sum(rate(http_requests_total{" + s + "}" + WINDOW + "))", "> 0.05");
  }

  /** The 90th percentile latency; fails above 100 ms (healthy pods answer in about 25 ms). */
  static CheckSpec p90Latency(String deployment) {
    return check("p90-latency", "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket{"
        + selector(deployment) + "}" + WINDOW + ")))", "> 0.1");
  }

  /**
   * The canary's share of 5xx answers less the baseline's, over the same window
   * ({@code {{canary}}} and {@code {{baseline}}}, docs/verification.md); fails when the canary is
   * 5 points worse, whatever the baseline's own rate.
   */
  static CheckSpec canaryErrorRate(String deployment) {
    return check("canary-errors", errorRatio(deployment, "{{canary}}") + " - " + errorRatio(deployment, "{{baseline}}"),
        "> 0.05");
  }

  private static String errorRatio(String deployment, String pods) {
    String s = selector(deployment) + "," + pods;
    return "(sum(rate(http_requests_total{" + s + ",code=~\"5..\"}" + WINDOW + ")) / sum(rate(http_requests_total{"
        + s + "}" + WINDOW + ")))";
  }

  private static String selector(String deployment) {
    return "namespace=\"" + ScenarioBed.NS + "\",deployment=\"" + deployment + "\"";
  }

  private static CheckSpec check(String name, String query, String failWhen) {
    CheckSpec c = new CheckSpec();
    c.name = name;
    c.prometheus = new PrometheusCheck();
    c.prometheus.query = query;
    c.failWhen = failWhen;
    // a Deployment created seconds ago may not have two samples in the window yet
    c.noDataLimit = 20;
    return c;
  }
}
